// Every workspace package with a jest.config.cjs is a project; `pnpm test:jest` runs them all.
const fs = require('node:fs');
const path = require('node:path');

const groups = ['packages', 'examples'];
const projects = [];
for (const group of groups) {
  const dir = path.join(__dirname, group);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    const config = path.join(dir, name, 'jest.config.cjs');
    if (fs.existsSync(config)) projects.push(config);
  }
}
for (const extra of ['collector-config/jest.config.cjs', 'bench/jest.config.cjs', 'test/jest.config.cjs']) {
  if (fs.existsSync(path.join(__dirname, extra))) projects.push(path.join(__dirname, extra));
}

/** @type {import('jest').Config} */
module.exports = { projects, testTimeout: 30000 };

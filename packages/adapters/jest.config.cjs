const { packageJestConfig } = require('../../jest.preset.cjs');

// Node by default; React tests opt into jsdom with a `@jest-environment jsdom` docblock.
module.exports = packageJestConfig(__dirname);

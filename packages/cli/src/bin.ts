// Entry point of the `bizmetrics` binary (built to dist/cli.js).
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bizmetrics: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

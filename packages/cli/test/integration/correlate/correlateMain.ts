// Runs the correlate subcommand as its own process through the CLI's entry point, the way the bizmetrics bin does.
import { main } from '../../../src/cli';

process.exitCode = await main(['correlate', ...process.argv.slice(2)]);

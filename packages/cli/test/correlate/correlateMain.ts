// Runs the correlate subcommand as its own process, the way the bizmetrics bin will.
import { correlateCommand } from '../../src/commands/correlateCommand';

await correlateCommand().parseAsync(process.argv);

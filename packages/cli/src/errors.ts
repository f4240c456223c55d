/** Input the tool cannot work with (bad catalog entry, bad config file, unreadable module). Exit code 2. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

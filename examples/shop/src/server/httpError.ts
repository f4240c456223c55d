/** An error with the HTTP status and the message the client gets: bad input is always a 4xx that says what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

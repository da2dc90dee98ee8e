/**
 * Every link of a chain was unavailable. `errors` holds each link's error in order; the message
 * names each link and what it said, so the log line alone tells what to fix.
 */
export class AggregateAuthenticationError extends Error {
  override readonly name = "AggregateAuthenticationError";
  readonly errors: unknown[];

  constructor(errors: unknown[], message: string) {
    super(message);
    this.errors = errors;
  }
}

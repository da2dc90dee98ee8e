/**
 * `requestOptions.timeout` ran out before a token arrived. Named like the platform's
 * `TimeoutError` from `AbortSignal.timeout()`.
 */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutInMs: number;

  constructor(timeoutInMs: number) {
    super(
      `The token request did not complete within ${timeoutInMs} ms (requestOptions.timeout). ` +
        "Raise the timeout, or check that the authority is reachable.",
    );
    this.timeoutInMs = timeoutInMs;
  }
}

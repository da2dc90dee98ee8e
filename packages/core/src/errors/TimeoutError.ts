/**
 * `requestOptions.timeout` ran out before a token arrived. Named like the platform's
 * `TimeoutError` from `AbortSignal.timeout()`.
 */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutInMs: number;

  /** @param option - The option that set the limit, for the message. Default `"requestOptions.timeout"`. */
  constructor(timeoutInMs: number, option = "requestOptions.timeout") {
    super(
      `The token request did not complete within ${timeoutInMs} ms (${option}). ` +
        "Raise the timeout, or check that the authority is reachable.",
    );
    this.timeoutInMs = timeoutInMs;
  }
}

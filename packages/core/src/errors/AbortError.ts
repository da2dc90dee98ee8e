/**
 * The caller's `abortSignal` fired. Named like the platform's `AbortError`, so code that checks
 * `error.name === "AbortError"` keeps working; the signal's reason is in `cause`.
 */
export class AbortError extends Error {
  override readonly name = "AbortError";

  constructor(message = "The token request was aborted.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

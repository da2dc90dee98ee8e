/**
 * The command line was used wrongly (exit code 2), as opposed to an authentication that failed
 * (exit code 1). The message says what to pass instead.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

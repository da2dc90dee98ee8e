/**
 * Test seam, not public API: an options object may carry an environment under this symbol key,
 * read instead of `process.env` and handed to the managed identity and Azure CLI links (whose
 * own seams take it). `EnvironmentCredential` still reads `process.env`.
 *
 * @internal
 */
export const internalOptions: unique symbol = Symbol.for("@credchain/default.internal");

/** The injected environment of `options`, if any. */
export function injectedEnvironment(
  options: object | undefined,
): Readonly<Record<string, string | undefined>> | undefined {
  const value = (options as { [internalOptions]?: { env?: unknown } } | undefined)?.[
    internalOptions
  ]?.env;
  return typeof value === "object" && value !== null
    ? (value as Readonly<Record<string, string | undefined>>)
    : undefined;
}

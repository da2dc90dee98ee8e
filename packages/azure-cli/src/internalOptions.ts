/**
 * Test seam, not public API: an options object may carry an environment under this symbol key,
 * used instead of `process.env` (its `PATH` finds `az`). The tests of this repository put a fake
 * `az` first on that `PATH`. `Symbol.for`, so tests in other packages reach the same key.
 *
 * @internal
 */
export const internalOptions: unique symbol = Symbol.for("@credchain/azure-cli.internal");

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

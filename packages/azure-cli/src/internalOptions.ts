/**
 * Test seam, not public API: an options object may carry an environment under this symbol key,
 * used instead of `process.env` (its `PATH` finds `az`). The tests of this repository put a fake
 * `az` first on that `PATH`. `Symbol.for`, so tests in other packages reach the same key.
 *
 * Read with `injectedEnvironment(options, internalOptions)` from `@credchain/core/credential`.
 *
 * @internal
 */
export const internalOptions: unique symbol = Symbol.for("@credchain/azure-cli.internal");

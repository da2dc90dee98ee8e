/**
 * Test seam, not public API: an options object may carry an environment under this symbol key,
 * read instead of `process.env` and handed to the managed identity and Azure CLI links (whose
 * own seams take it). `EnvironmentCredential` still reads `process.env`.
 *
 * Read with `injectedEnvironment(options, internalOptions)` from `@credchain/core/credential`.
 *
 * @internal
 */
export const internalOptions: unique symbol = Symbol.for("@credchain/default.internal");

/**
 * Test seams, not public API: an options object may carry them under this symbol key. The tests
 * of this repository use them to inject an environment (instead of mutating `process.env`) and
 * a temporary Azure Arc token directory (the platform's is root-owned). `Symbol.for`, so a test in
 * another package reaches the same key without importing an internal module.
 *
 * @internal
 */
export const internalOptions: unique symbol = Symbol.for("@credchain/managed-identity.internal");

/** @internal */
export interface InternalOptions {
  /** Read instead of `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Read Azure Arc secret files from here instead of the platform's token directory. */
  readonly arcTokenDirectory?: string;
  /** Look for the Azure Arc agent here instead of the platform's path; `null`: never. */
  readonly arcAgentPath?: string | null;
}

/** The test seams of `options`, if any. */
export function internalOptionsOf(options: object | undefined): InternalOptions {
  const value = (options as { [internalOptions]?: unknown } | undefined)?.[internalOptions];
  return typeof value === "object" && value !== null ? value : {};
}

/**
 * The environment a test seam put on an options object under `key`, used instead of
 * `process.env`: `{ [key]: { env } }`. Each credential package owns its key (a `Symbol.for`, so
 * tests in other packages reach it); this reads it, so the shape is checked in one place.
 * `undefined` when the options carry none, or carry something that is not an object.
 *
 * @internal Test seam, not for applications.
 */
export function injectedEnvironment(
  options: object | undefined,
  key: symbol,
): Readonly<Record<string, string | undefined>> | undefined {
  const value = (options as Partial<Record<symbol, { env?: unknown }>> | undefined)?.[key]?.env;
  return typeof value === "object" && value !== null
    ? (value as Readonly<Record<string, string | undefined>>)
    : undefined;
}

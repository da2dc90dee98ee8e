/** Longest option name quoted back in an error; longer names are cut, never echoed in full. */
const MAX_QUOTED_NAME = 64;

/**
 * Throws a `TypeError` for the first own key of `options` that `known` does not list. A silently
 * ignored option is worse than an error: `{ isuser: "v1" }` would start an authority that issues
 * the wrong tokens, and the test would fail far from the typo.
 */
export function rejectUnknownOptions(
  options: object,
  known: Readonly<Record<string, true>>,
  what: string,
): void {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    const quoted = name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME)}…` : name;
    throw new TypeError(
      `Unknown ${what} option ${JSON.stringify(quoted)}. Valid options: ${Object.keys(known).join(", ")}.`,
    );
  }
}

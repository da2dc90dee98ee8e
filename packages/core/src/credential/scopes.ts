import { boundedText } from "../errors/boundedText.js";

/**
 * Checks `scopes` and returns them as a list, in the caller's order (the wire keeps that order).
 * `method` names the call in the error, e.g. `"ClientSecretCredential.getToken"`.
 */
export function normalizeScopes(scopes: string | readonly string[], method: string): string[] {
  const list: readonly unknown[] | undefined =
    typeof scopes === "string"
      ? [scopes]
      : Array.isArray(scopes)
        ? (scopes as unknown[])
        : undefined;
  if (list === undefined || list.length === 0) {
    throw new TypeError(
      `${method} requires at least one scope, e.g. "https://management.azure.com/.default".`,
    );
  }
  for (const scope of list) {
    if (typeof scope !== "string" || scope.trim() === "") {
      throw new TypeError(
        `${method}: every scope must be a non-empty string; got ${typeof scope === "string" ? boundedText(scope) : typeof scope}.`,
      );
    }
  }
  return [...(list as string[])];
}

/** The scope part of a cache key: the scope *set*, so order and duplicates do not split the cache. */
export function scopeSetKey(scopes: readonly string[]): string {
  if (scopes.length === 1) return scopes[0] as string;
  return [...new Set(scopes)].sort().join(" ");
}

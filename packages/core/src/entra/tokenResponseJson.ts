// Reading a token endpoint's JSON answer, shared by the Entra and managed identity parsers: both
// must refuse the same malformed bodies and read lifetimes the same way.

/** A body as JSON, or `undefined` when it is not JSON (never throws). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A lifetime field (`expires_in`, `expires_on`, `refresh_in`) in seconds, as token services write
 * it: a JSON number or a numeric string. `undefined` for anything else, negative or not finite.
 */
export function lifetimeSeconds(value: unknown): number | undefined {
  const parsed =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\s*\d+(?:\.\d+)?\s*$/.test(value)
        ? Number(value)
        : undefined;
  return parsed !== undefined && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

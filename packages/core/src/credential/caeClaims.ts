const CP1 = "CP1";

/**
 * `parent[name]` when it is a JSON object (or absent). Anything else cannot take the CAE
 * capability without losing what the caller sent, so it is refused rather than mangled.
 */
function objectAt(parent: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = parent[name];
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `options.claims: "${name}" must be a JSON object to add the CAE capability (enableCae); ` +
        "pass the claims challenge exactly as the resource returned it.",
    );
  }
  return value as Record<string, unknown>;
}

/**
 * The claims to send. With CAE, merges `{"access_token":{"xms_cc":{"values":["CP1"]}}}` into the
 * caller's claims, keeping everything they already hold; without CAE the caller's claims go as
 * they are. Returns `undefined` when there is nothing to send.
 */
export function claimsToSend(claims: string | undefined, enableCae: boolean): string | undefined {
  if (!enableCae) return claims === "" ? undefined : claims;
  let parsed: Record<string, unknown> = {};
  if (claims !== undefined && claims !== "") {
    try {
      const value: unknown = JSON.parse(claims);
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error();
      parsed = value as Record<string, unknown>;
    } catch {
      throw new TypeError(
        "options.claims must be a JSON object string, as found in a WWW-Authenticate claims challenge (after base64 decoding).",
      );
    }
  }
  const accessToken = { ...objectAt(parsed, "access_token") };
  const xmsCc = { ...objectAt(accessToken, "xms_cc") };
  const values = Array.isArray(xmsCc["values"]) ? (xmsCc["values"] as unknown[]) : [];
  if (!values.includes(CP1)) xmsCc["values"] = [...values, CP1];
  accessToken["xms_cc"] = xmsCc;
  return JSON.stringify({ ...parsed, access_token: accessToken });
}

import type { AccessToken } from "@credchain/core";
import type { RedisKeyMaterial } from "./RedisKeyMaterial.js";

/**
 * One token in Redis, at `<prefix>{<id>}:t`, where `id` is the key material's hash of the binding:
 *
 *   encrypted:  "e1:" + base64( IV | AES-256-GCM(payload) | tag )   additional data = the binding
 *   plaintext:  "p1:" + payload                                      (only with the user's consent)
 *
 * The binding is `credchain-redis\0<cache name>.<partition>\0<canonical cache key>`; the canonical
 * key holds the authority, client id, tenant, CAE setting and scopes. So an entry copied to
 * another key fails authentication. The payload is `{"t": token, "e": expiresOnTimestamp,
 * "r"?: refreshAfterTimestamp, "y"?: tokenType}`, as in `@credchain/cache-file`.
 */
const ENCRYPTED = "e1:";
const PLAINTEXT = "p1:";

/** No token entry gets near this: a larger value is damage or abuse and is not parsed. */
export const MAX_ENTRY_CHARS = 64 * 1024;

export function entryBinding(store: string, canonicalKey: string): string {
  return `credchain-redis\0${store}\0${canonicalKey}`;
}

export function encodeEntry(token: AccessToken, keys: RedisKeyMaterial, binding: string): string {
  const payload: Record<string, unknown> = { t: token.token, e: token.expiresOnTimestamp };
  if (token.refreshAfterTimestamp !== undefined) payload["r"] = token.refreshAfterTimestamp;
  if (token.tokenType !== undefined) payload["y"] = token.tokenType;
  const json = JSON.stringify(payload);
  if (!keys.encrypted) return PLAINTEXT + json;
  const bytes = Buffer.from(json, "utf8");
  try {
    return ENCRYPTED + keys.seal(bytes, binding);
  } finally {
    // Best effort: do not leave a plaintext copy of the token in a pooled buffer.
    bytes.fill(0);
  }
}

/**
 * The token in `value`, or `"unreadable"` for anything that is not an intact entry of this
 * binding in the expected mode: with a key only authenticated ciphertext is trusted, so a planted
 * plaintext entry cannot inject a token.
 */
export function decodeEntry(
  value: string,
  keys: RedisKeyMaterial,
  binding: string,
): AccessToken | "unreadable" {
  if (value.length > MAX_ENTRY_CHARS) return "unreadable";
  let json: string;
  if (keys.encrypted) {
    if (!value.startsWith(ENCRYPTED)) return "unreadable";
    const opened = keys.open(value.slice(ENCRYPTED.length), binding);
    if (opened === undefined) return "unreadable";
    json = opened.toString("utf8");
    opened.fill(0);
  } else {
    if (!value.startsWith(PLAINTEXT)) return "unreadable";
    json = value.slice(PLAINTEXT.length);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return "unreadable";
  }
  if (typeof parsed !== "object" || parsed === null) return "unreadable";
  const { t, e, r, y } = parsed as Record<string, unknown>;
  if (typeof t !== "string" || t === "" || typeof e !== "number" || !Number.isFinite(e)) {
    return "unreadable";
  }
  const token: AccessToken = { token: t, expiresOnTimestamp: e };
  if (typeof r === "number" && Number.isFinite(r)) token.refreshAfterTimestamp = r;
  if (y === "Bearer" || y === "pop") token.tokenType = y;
  return token;
}

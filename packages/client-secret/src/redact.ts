/** What replaces a secret or a token in anything a user may see. */
export const REDACTED = "[REDACTED]";

const TOKEN_FIELDS = new Set(["access_token", "refresh_token", "id_token"]);

// `"access_token": "…"` in raw text, also when the body was cut off inside the value.
const TOKEN_FIELD_IN_TEXT = /("(?:access_token|refresh_token|id_token)"\s*:\s*")[^"]*("?)/g;
// `access_token=…` in a form-encoded answer, as some OAuth servers send when the authority is not
// Entra: such a token is opaque, so the JWT pattern below would not catch it.
const TOKEN_FIELD_IN_FORM = /((?:^|[&?\s])(?:access_token|refresh_token|id_token)=)[^&\s"]*/g;
// Anything shaped like a JWT (header starts with `{"` → base64url `eyJ`), wherever it appears.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

/**
 * The spellings of the secret a server could echo: as is, form-encoded as it was sent, and
 * JSON-escaped (in a JSON body too broken to parse).
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  return [...forms].filter((form) => form !== "");
}

/**
 * Removes the client secret and any token from text taken from a response, before it reaches an
 * error message. The token endpoint has no reason to echo either, but a misbehaving proxy or a
 * debugging server might, and an error message ends up in logs.
 */
export function redactText(text: string, secret: string): string {
  // Every occurrence, however short the secret: a garbled message beats a leaked secret, and real
  // Entra secrets are 40 characters long.
  let out = text;
  for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
  return out
    .replace(TOKEN_FIELD_IN_TEXT, `$1${REDACTED}$2`)
    .replace(TOKEN_FIELD_IN_FORM, `$1${REDACTED}`)
    .replace(JWT_LIKE, REDACTED);
}

/**
 * A copy of a parsed response body fit to keep as an error's `cause`: token fields replaced and
 * the secret removed from every string, at any depth.
 */
export function redactBody(value: unknown, secret: string): unknown {
  if (typeof value === "string") return redactText(value, secret);
  if (Array.isArray(value)) return value.map((item) => redactBody(item, secret));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = TOKEN_FIELDS.has(key) ? REDACTED : redactBody(field, secret);
    }
    return copy;
  }
  return value;
}

/** At most `max` characters of `text` on one line, for an error message. */
export function excerpt(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max)}…`;
}

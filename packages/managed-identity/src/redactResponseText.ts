const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
const TOKEN_FIELD = /("access_token"\s*:\s*")[^"]*("?)/g;

/**
 * Text from an endpoint's answer, fit for an error message: one line, at most 200 characters,
 * without the identity header secret (should the endpoint echo it) or anything token-shaped.
 */
export function redactResponseText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("[REDACTED]");
  out = out
    .replace(TOKEN_FIELD, "$1[REDACTED]$2")
    .replace(JWT_LIKE, "[REDACTED]")
    .replace(/\s+/g, " ")
    .trim();
  return out.length <= 200 ? out : `${out.slice(0, 200)}…`;
}

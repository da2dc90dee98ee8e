import type { ExpiresAs } from "./faults.js";

/** How a successful (or deliberately token-less) response states lifetimes. */
export interface TokenResponseShape {
  readonly lifetimeInSeconds: number;
  readonly refreshInSeconds: number | undefined;
  readonly expiresAs: ExpiresAs;
  /** Epoch milliseconds the token was issued at, for `expires_on`. */
  readonly nowMs: number;
}

/**
 * The non-token fields of a token response, in Entra's order. `access_token` goes last, after
 * these, as Entra sends it.
 */
export function tokenResponseFields(shape: TokenResponseShape): Record<string, string | number> {
  const fields: Record<string, string | number> = { token_type: "Bearer" };
  const lifetime = shape.lifetimeInSeconds;
  switch (shape.expiresAs) {
    case "number":
      fields.expires_in = lifetime;
      fields.ext_expires_in = lifetime;
      break;
    case "string":
      fields.expires_in = String(lifetime);
      fields.ext_expires_in = String(lifetime);
      break;
    case "expires_on":
      fields.expires_on = String(Math.floor(shape.nowMs / 1000) + lifetime);
      break;
  }
  if (shape.refreshInSeconds !== undefined) fields.refresh_in = shape.refreshInSeconds;
  return fields;
}

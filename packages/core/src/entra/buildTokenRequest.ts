import { randomUUID } from "node:crypto";

/** One client-credentials token request, before the client authenticates it. */
export interface TokenRequestParameters {
  /** The authority base, e.g. `https://login.microsoftonline.com`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** In the caller's order; the wire keeps it. */
  readonly scopes: readonly string[];
  /** Already merged with the CAE capability; omitted when there is nothing to send. */
  readonly claims: string | undefined;
  /** `x-client-sku`: the credential package in use, e.g. `"credchain.client-secret"`. */
  readonly clientSku: string;
  /** `x-client-ver`: that package's version. */
  readonly clientVersion: string;
}

/** A token request whose form the client authentication still has to complete. */
export interface PendingTokenRequest {
  /** The full token URL: where the request goes, and an assertion's `aud`. */
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Everything but the client's proof; `ClientAuthentication.authenticate` adds that. */
  readonly form: URLSearchParams;
}

/** The token URL of a tenant at an authority. */
export function tokenEndpoint(authorityHost: string, tenantId: string): string {
  // The tenant was validated to [A-Za-z0-9.-] (not `.` or `..`) when the credential was built
  // or, for a per-request tenant, by core's resolveTenantId: it needs no escaping in the path.
  return `${authorityHost}/${tenantId}/oauth2/v2.0/token`;
}

/**
 * The OAuth 2.0 client credentials request (RFC 6749 §4.4) as Entra's v2 endpoint takes it: a
 * form body, no discovery round trip. A fresh `client-request-id` per request lets Entra's logs
 * and ours be matched (it comes back as the error's correlation id).
 */
export function buildTokenRequest(parameters: TokenRequestParameters): PendingTokenRequest {
  const form = new URLSearchParams({
    client_id: parameters.clientId,
    grant_type: "client_credentials",
    scope: parameters.scopes.join(" "),
  });
  if (parameters.claims !== undefined && parameters.claims !== "") {
    form.set("claims", parameters.claims);
  }
  return {
    url: tokenEndpoint(parameters.authorityHost, parameters.tenantId),
    headers: {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
      "client-request-id": randomUUID(),
      "return-client-request-id": "true",
      "x-client-sku": parameters.clientSku,
      "x-client-ver": parameters.clientVersion,
    },
    form,
  };
}

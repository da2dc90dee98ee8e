import { randomUUID } from "node:crypto";
import type { HttpRequest } from "@credchain/core";
import { VERSION } from "./version.js";

/** One client-credentials token request, before it is sent. */
export interface TokenRequestParameters {
  /** The authority base, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** In the caller's order; the wire keeps it. */
  scopes: readonly string[];
  /** Already merged with the CAE capability; omitted when there is nothing to send. */
  claims: string | undefined;
}

/**
 * The OAuth 2.0 client credentials request (RFC 6749 §4.4) as Entra's v2 endpoint takes it: the
 * secret in the form body (`client_secret_post`), no discovery round trip. A fresh
 * `client-request-id` per request lets Entra's logs and ours be matched (it comes back as the
 * error's correlation id).
 */
export function buildTokenRequest(parameters: TokenRequestParameters): HttpRequest {
  const form = new URLSearchParams({
    client_id: parameters.clientId,
    client_secret: parameters.clientSecret,
    grant_type: "client_credentials",
    scope: parameters.scopes.join(" "),
  });
  if (parameters.claims !== undefined && parameters.claims !== "") {
    form.set("claims", parameters.claims);
  }
  return {
    method: "POST",
    // The tenant was validated to [A-Za-z0-9.-] (not `.` or `..`) when the credential was built
    // or, for a per-request tenant, by core's resolveTenantId: it needs no escaping in the path.
    url: `${parameters.authorityHost}/${parameters.tenantId}/oauth2/v2.0/token`,
    headers: {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
      "client-request-id": randomUUID(),
      "return-client-request-id": "true",
      "x-client-sku": "credchain.client-secret",
      "x-client-ver": VERSION,
    },
    body: form.toString(),
  };
}

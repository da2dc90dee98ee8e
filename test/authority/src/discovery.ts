/**
 * Entra's discovery documents, pointed at the local authority. Only the fields clients read are
 * meaningful; the rest are present so strict schema checks in client libraries pass.
 */

/** Tenant path segments that are aliases rather than tenants, as in Entra. */
const TENANT_ALIASES: ReadonlySet<string> = new Set(["common", "organizations", "consumers"]);

/** The v2 token issuer for a tenant: `{url}/{tenant}/v2.0`. */
export function issuerFor(url: string, tenant: string): string {
  return `${url}/${tenant}/v2.0`;
}

/**
 * The issuer a tenant's discovery documents publish: the `iss` of its tokens. Like Entra, alias
 * tenants publish a templated issuer, since tokens carry the real tenant.
 */
export function publishedIssuer(issuerFor: (tenant: string) => string, tenant: string): string {
  return issuerFor(TENANT_ALIASES.has(tenant) ? "{tenantid}" : tenant);
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`. `issuer` is the tenant's published
 * issuer (see {@link publishedIssuer}; default: the v2 one), so validators that read discovery
 * accept its tokens.
 */
export function openIdConfiguration(
  url: string,
  host: string,
  tenant: string,
  issuer: string = publishedIssuer((t) => issuerFor(url, t), tenant),
): object {
  const base = `${url}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      "client_secret_post",
      "private_key_jwt",
      "client_secret_basic",
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${url}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: url,
  };
}

/**
 * `GET /common/discovery/instance?authorization_endpoint=…`: tells MSAL-style clients that this
 * host is its own cloud (preferred network and cache are the authority's `host:port`).
 */
export function instanceDiscovery(url: string, host: string, query: URLSearchParams): object {
  let tenant = "common";
  const authorizationEndpoint = query.get("authorization_endpoint");
  if (authorizationEndpoint !== null) {
    try {
      const first = new URL(authorizationEndpoint).pathname.split("/").find((s) => s !== "");
      if (first !== undefined) tenant = first;
    } catch {
      // A malformed hint is not an error in Entra either; it falls back to "common".
    }
  }
  return {
    tenant_discovery_endpoint: `${url}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": query.get("api-version") ?? "1.1",
    metadata: [
      {
        preferred_network: host,
        preferred_cache: host,
        aliases: [host],
      },
    ],
  };
}

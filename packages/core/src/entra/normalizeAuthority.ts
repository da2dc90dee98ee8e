const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Microsoft Entra's own hosts. Their token endpoint is `/{tenant}/oauth2/v2.0/token` at the root,
 * so any path in an authority for them is a mistake (usually the tenant, pasted in).
 */
const ENTRA_HOSTS: ReadonlySet<string> = new Set([
  "login.microsoftonline.com",
  "login.microsoft.com",
  "login.windows.net",
  "sts.windows.net",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

/** `localhost`, `127.0.0.0/8` and `[::1]`: the only hosts plain http may reach. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || LOOPBACK_IPV4.test(hostname);
}

/** The value as an error message may quote it: without a user name, password or query. */
function quoted(value: string): string {
  return JSON.stringify(
    value
      .replace(/^(\s*(?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/?#]*@/i, "$1[REDACTED]@")
      .replace(/[?#].*$/s, "?[REDACTED]"),
  );
}

/**
 * Turns an authority as users write it (`login.microsoftonline.com`,
 * `https://login.microsoftonline.us/`, `http://127.0.0.1:8400`) into the base of the token URL:
 * origin plus any path prefix (an emulator's or a gateway's), without a trailing slash. `source`
 * names where the value came from (`options.authority`, `AZURE_AUTHORITY_HOST`) so the error
 * points at what to fix.
 *
 * An authority that ends with the credential's own `tenantId`
 * (`https://login.microsoftonline.com/contoso.onmicrosoft.com`, which `@azure/identity` accepts)
 * has that segment dropped: the tenant is added per request, and keeping it would send
 * `/{tenant}/{tenant}/oauth2/v2.0/token`. A pasted token endpoint (`…/oauth2/…`), or any other path
 * on an Entra host, is refused.
 *
 * Plain http is refused except on loopback: the client secret or assertion travels in the request body.
 */
export function normalizeAuthority(value: unknown, source: string, tenantId?: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(
      `${source} must be a host such as "login.microsoftonline.com" or an https URL; got ${
        typeof value === "string" ? JSON.stringify(value) : typeof value
      }.`,
    );
  }
  const trimmed = value.trim().replace(/\/+$/, "");
  // A bare host is the documented form (Python's `authority="login.microsoftonline.com"`).
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(
      `${source} ${quoted(value)} is not a valid host or URL. Use a host such as ` +
        `"login.microsoftonline.com" or an https URL such as "https://login.microsoftonline.com".`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    // Credentials in the URL would end up in logs, events and toJSON(): refuse them.
    throw new TypeError(
      `${source} must not contain a user name or password; pass only the authority host, e.g. "https://${url.host}".`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new TypeError(
      `${source} ${quoted(value)} must not contain a query or fragment; pass only the authority host, e.g. "https://${url.host}".`,
    );
  }
  if (url.protocol === "http:") {
    if (!isLoopback(url.hostname)) {
      throw new TypeError(
        `${source} ${quoted(value)} uses plain http, which would send the client credentials unencrypted. ` +
          `Use "https://${url.host}${url.pathname === "/" ? "" : url.pathname}"; plain http is accepted only ` +
          "for loopback hosts (localhost, 127.0.0.0/8, [::1]), for local emulators and tests.",
      );
    }
  } else if (url.protocol !== "https:") {
    throw new TypeError(
      `${source} ${quoted(value)} uses the unsupported scheme "${url.protocol}". ` +
        'Use an https URL such as "https://login.microsoftonline.com", or just the host.',
    );
  }
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  const tenantHint =
    tenantId === undefined ? "the tenant as tenantId" : `the tenant ("${tenantId}") as tenantId`;
  if (segments.some((segment) => segment.toLowerCase() === "oauth2")) {
    throw new TypeError(
      `${source} ${quoted(value)} looks like a token endpoint URL. Pass only the authority, e.g. ` +
        `"${url.origin}", and ${tenantHint}: the credential adds /{tenant}/oauth2/v2.0/token itself.`,
    );
  }
  // Tenant ids are case-insensitive in Entra.
  if (tenantId !== undefined && segments.at(-1)?.toLowerCase() === tenantId.toLowerCase()) {
    segments.pop();
  }
  if (segments.length > 0 && ENTRA_HOSTS.has(url.hostname)) {
    throw new TypeError(
      `${source} ${quoted(value)} has a path, but ${url.hostname} takes none. Pass "${url.origin}" ` +
        `and ${tenantHint}; other tenants go in additionallyAllowedTenants.`,
    );
  }
  return segments.length === 0 ? url.origin : `${url.origin}/${segments.join("/")}`;
}

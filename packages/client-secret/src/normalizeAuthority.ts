const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** `localhost`, `127.0.0.0/8` and `[::1]`: the only hosts plain http may reach. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || LOOPBACK_IPV4.test(hostname);
}

/**
 * Turns an authority as users write it (`login.microsoftonline.com`,
 * `https://login.microsoftonline.us/`, `http://127.0.0.1:8400`) into the base of the token URL:
 * origin plus any path prefix, without a trailing slash. `source` names where the value came
 * from (`options.authority`, `AZURE_AUTHORITY_HOST`) so the error points at what to fix.
 *
 * Plain http is refused except on loopback: the client secret travels in the request body.
 */
export function normalizeAuthority(value: unknown, source: string): string {
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
      `${source} ${JSON.stringify(value)} is not a valid host or URL. Use a host such as ` +
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
      `${source} ${JSON.stringify(value)} must not contain a query or fragment; pass only the authority host, e.g. "https://${url.host}".`,
    );
  }
  if (url.protocol === "http:") {
    if (!isLoopback(url.hostname)) {
      throw new TypeError(
        `${source} ${JSON.stringify(value)} uses plain http, which would send the client secret unencrypted. ` +
          `Use "https://${url.host}${url.pathname === "/" ? "" : url.pathname}"; plain http is accepted only ` +
          "for loopback hosts (localhost, 127.0.0.0/8, [::1]), for local emulators and tests.",
      );
    }
  } else if (url.protocol !== "https:") {
    throw new TypeError(
      `${source} ${JSON.stringify(value)} uses the unsupported scheme "${url.protocol}". ` +
        'Use an https URL such as "https://login.microsoftonline.com", or just the host.',
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path}`;
}

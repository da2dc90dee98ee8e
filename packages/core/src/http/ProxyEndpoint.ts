/**
 * A forward proxy, parsed once from the `proxy` option or the environment. The credentials are
 * kept apart from the URL so that nothing that prints the proxy can print them: `display` masks
 * the password, and `url` has no userinfo at all.
 */
export interface ProxyEndpoint {
  /** `http://host:port` or `https://host:port`: no userinfo, no path. */
  readonly url: string;
  /** What errors and logs name: the URL with `user:***@` when it has credentials. */
  readonly display: string;
  /** Percent-decoded user name from the userinfo; undefined without credentials. */
  readonly username?: string;
  /** Percent-decoded password from the userinfo. */
  readonly password?: string;
  /** Where the setting came from, for messages: `proxy` or an environment variable's name. */
  readonly source: string;
}

/**
 * Parses `http(s)://[user:pass@]host[:port]`. A value without a scheme is taken as `http://` (as
 * curl and most tools read `HTTPS_PROXY=proxy:3128`). Anything else (another scheme, a path, no
 * host) is a `TypeError` naming the setting, never quoting the value (it may hold a password).
 */
export function parseProxyUrl(value: string, source: string): ProxyEndpoint {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(
      `${source} is not a valid proxy URL: pass "http://host:port" or "https://host:port" ` +
        '(credentials as "http://user:password@host:port").',
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(
      `${source} must be an http:// or https:// proxy URL; ${url.protocol.slice(0, 10)} proxies are not supported.`,
    );
  }
  if (url.hostname === "" || (url.pathname !== "/" && url.pathname !== "") || url.search !== "") {
    throw new TypeError(
      `${source} must be a proxy URL with a host and no path: "http://host:port".`,
    );
  }
  const origin = `${url.protocol}//${url.host}`;
  if (url.username === "" && url.password === "") return { url: origin, display: origin, source };
  const username = safeDecode(url.username);
  return {
    url: origin,
    display: `${url.protocol}//${url.username === "" ? "" : encodeURIComponent(username)}:***@${url.host}`,
    username,
    password: safeDecode(url.password),
    source,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

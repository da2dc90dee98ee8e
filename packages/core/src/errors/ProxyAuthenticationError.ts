/**
 * The proxy answered `407 Proxy Authentication Required` (or `401`, as tinyproxy does for wrong
 * credentials): it wants credentials, or refused the ones given. The token endpoint was never
 * reached. Not retried: the same credentials would be refused again. `proxy` names the proxy
 * with its password masked.
 */
export class ProxyAuthenticationError extends Error {
  override readonly name = "ProxyAuthenticationError";
  /** The proxy, e.g. `http://user:***@proxy:3128`; never the password. */
  readonly proxy: string;
  /** The proxy's status: 407, or 401 from proxies that answer so for wrong credentials. */
  readonly statusCode: number;

  constructor(
    proxy: string,
    source: string,
    hadCredentials: boolean,
    statusCode = 407,
    options?: { cause?: unknown },
  ) {
    const status = statusCode === 407 ? "407 Proxy Authentication Required" : String(statusCode);
    super(
      `The proxy ${proxy} (from ${source}) answered ${status}: ` +
        (hadCredentials
          ? "it refused the user name and password in the proxy URL. Check them."
          : 'it needs credentials: put them in the proxy URL, "http://user:password@host:port".') +
        " The token endpoint was not reached.",
      options,
    );
    this.proxy = proxy;
    this.statusCode = statusCode;
  }
}

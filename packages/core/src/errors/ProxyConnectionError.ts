/**
 * Could not connect to the proxy itself (refused, unknown host, reset, timed out): the token
 * endpoint was never reached. Retried like any network failure. `proxy` names the proxy with its
 * password masked; `code` is the socket error's (`ECONNREFUSED`, `ENOTFOUND`, ...).
 */
export class ProxyConnectionError extends Error {
  override readonly name = "ProxyConnectionError";
  /** The proxy, e.g. `http://user:***@proxy:3128`; never the password. */
  readonly proxy: string;
  readonly code: string | undefined;

  constructor(
    proxy: string,
    source: string,
    code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `Could not connect to the proxy ${proxy} (from ${source})${code === undefined ? "" : `: ${code}`}. ` +
        "Check that the proxy is running and the proxy setting (proxy option, HTTPS_PROXY, NO_PROXY) is right. " +
        "The token endpoint was not reached.",
      options,
    );
    this.proxy = proxy;
    this.code = code;
  }
}

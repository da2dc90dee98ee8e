/**
 * The proxy refused to open a tunnel (`CONNECT`) to the token endpoint, answering a status other
 * than 200 and 407: its policy forbids the host or port (403), or it could not reach the host
 * itself (502, 503, 504). The token endpoint did not answer. Not retried: the proxy already tried.
 */
export class ProxyTunnelError extends Error {
  override readonly name = "ProxyTunnelError";
  /** The proxy, e.g. `http://user:***@proxy:3128`; never the password. */
  readonly proxy: string;
  /** The proxy's status for the CONNECT request, when it sent one. */
  readonly statusCode: number | undefined;

  constructor(
    proxy: string,
    source: string,
    target: string,
    statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `The proxy ${proxy} (from ${source}) would not open a tunnel to ${target}` +
        `${statusCode === undefined ? "" : ` (CONNECT answered ${statusCode})`}. The proxy may forbid this host ` +
        "or port, or could not reach it: ask its administrator, or list the host in NO_PROXY to bypass the proxy. " +
        "The token endpoint did not answer.",
      options,
    );
    this.proxy = proxy;
    this.statusCode = statusCode;
  }
}

import { DefaultHttpTransport } from "./DefaultHttpTransport.js";
import { resolveProxy, type ProxyEnvironment } from "./resolveProxy.js";
import { trustedCertificates, type TlsOptions } from "./trustedCertificates.js";

/** The transport settings every credential accepts. */
export interface TransportOptions {
  /** `"http(s)://[user:pass@]host:port"`, or `false` to ignore the proxy environment variables. */
  proxy?: string | false;
  tlsOptions?: TlsOptions;
}

/**
 * Resolves the proxy and TLS settings against the environment (read here, once, and nowhere
 * else) and builds the default transport. `env` is injectable for tests.
 */
export function createDefaultTransport(
  options: TransportOptions,
  env: ProxyEnvironment = process.env,
): DefaultHttpTransport {
  const ca = trustedCertificates(options.tlsOptions, env);
  return new DefaultHttpTransport({
    route: resolveProxy(options.proxy, env),
    ...(ca === undefined ? {} : { ca }),
  });
}

import type {
  RefreshOptions,
  RetryOptions,
  TokenCachePersistenceOptions,
  TokenCredentialBaseOptions,
} from "@credchain/core";

/**
 * Options for `ClientSecretCredential` and `EnvironmentCredential`. Every field is optional;
 * unknown fields are ignored.
 */
export interface ClientSecretCredentialOptions {
  /**
   * The Microsoft Entra authority: a host (`"login.microsoftonline.com"`) or an `https` URL
   * (`"https://login.microsoftonline.us"`). Plain `http` is accepted only for loopback hosts
   * (`localhost`, `127.0.0.0/8`, `[::1]`), for local emulators and tests.
   * Default: the `AZURE_AUTHORITY_HOST` environment variable, else
   * `AzureAuthorityHosts.AzurePublicCloud` (`login.microsoftonline.com`).
   */
  authority?: string;
  /**
   * Tenants, besides the configured one, that `getToken(..., { tenantId })` may request tokens
   * from. `"*"` allows any tenant. Default: none.
   */
  additionallyAllowedTenants?: string[];
  /**
   * Persist tokens across processes. Needs a persistence plugin registered first, e.g.
   * `usePlugin(fileCachePlugin())` from `@credchain/cache-file`. Default: memory only.
   */
  cachePersistenceOptions?: TokenCachePersistenceOptions;
  /**
   * Resolve the clock, HTTP transport, logger, tracer and cache persistence from a child of this
   * container. Default: `rootContainer` from `@credchain/core`.
   */
  container?: TokenCredentialBaseOptions["container"];
  /** HTTP retries: default 3 retries, 200 ms first back-off (doubling, ±20% jitter), 60,000 ms longest wait. */
  retryOptions?: RetryOptions;
  /** Token refresh: default 300,000 ms before expiry, 30,000 ms between failed refreshes. */
  refreshOptions?: RefreshOptions;
  /**
   * The most tokens kept in memory; past it the least recently used tenth is evicted.
   * Default 10,000.
   */
  maxCachedTokens?: number;
  /**
   * The forward proxy for token requests, `"http(s)://[user:password@]host:port"`, or `false` to
   * ignore the environment. Default: `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY` (lower
   * case wins), minus `NO_PROXY`; loopback and link-local hosts are never proxied.
   */
  proxy?: TokenCredentialBaseOptions["proxy"];
  /** Extra trusted CAs (PEM) for the authority or a TLS-inspecting proxy: `{ ca }`. */
  tlsOptions?: TokenCredentialBaseOptions["tlsOptions"];
}

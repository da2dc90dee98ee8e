import type { DependencyContainer } from "tsyringe";
import type { RetryOptions } from "../http/HttpPipeline.js";

/** Persistent caching, as the seed's `cache_persistence_options`. Needs a persistence plugin. */
export interface TokenCachePersistenceOptions {
  /** The cache name. Default `"msal.cache"`. Which names are allowed is the backend's rule. */
  name?: string;
  /** Store tokens unencrypted when no encryption key is available. Default `false`. */
  allowUnencryptedStorage?: boolean;
}

/** When to refresh cached tokens. */
export interface RefreshOptions {
  /** Refresh this long before expiry when the server gave no `refresh_in`. Default 300,000 ms. */
  refreshOffsetInMs?: number;
  /** After a failed background refresh, wait this long before the next. Default 30,000 ms. */
  retryIntervalInMs?: number;
}

/** Extra trusted certificate authorities for the authority's TLS connection. */
export interface CredentialTlsOptions {
  /** PEM certificate(s) to trust besides the system's. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/**
 * Options every credchain credential accepts; each credential's options extend this. Every field
 * is optional; durations are milliseconds and at most 2^31-1 (a `RangeError` otherwise).
 */
export interface CredentialOptions {
  /**
   * The Microsoft Entra authority: a host (`"login.microsoftonline.com"`) or an `https` URL. Plain
   * `http` only for loopback hosts. Default `AZURE_AUTHORITY_HOST`, else the public cloud. Not used
   * by managed identity or Azure CLI.
   */
  authority?: string;
  /** Tenants, besides the configured one, a call may request tokens from; `"*"` allows any. */
  additionallyAllowedTenants?: string[];
  /** Persist tokens across processes; needs a persistence plugin. Default: memory only. */
  cachePersistenceOptions?: TokenCachePersistenceOptions;
  /** Resolve collaborators (clock, transport, logger, tracer, cache) from a child of this container. Default: `rootContainer`. */
  container?: DependencyContainer;
  /** HTTP retries: default 3 retries, 200 ms first back-off (doubling, ±20% jitter), 60,000 ms longest wait. */
  retryOptions?: RetryOptions;
  /** Token refresh: default 300,000 ms before expiry, 30,000 ms between failed refreshes. */
  refreshOptions?: RefreshOptions;
  /** The most tokens kept in memory (least recently used evicted first). Default 10,000. */
  maxCachedTokens?: number;
  /**
   * The proxy for the authority, `"http(s)://[user:pass@]host:port"`, or `false` to ignore the
   * environment. Default: from `HTTPS_PROXY` / `ALL_PROXY` / `HTTP_PROXY` minus `NO_PROXY`.
   * Honoured by the HTTP transport.
   */
  proxy?: string | false;
  /** Extra trusted CAs (PEM) for the authority. Honoured by the HTTP transport. */
  tlsOptions?: CredentialTlsOptions;
  /** The Entra region, e.g. `"westus2"`. Default `AZURE_REGIONAL_AUTHORITY_NAME`. Client credentials only. */
  regionalAuthority?: string;
  /**
   * One network acquisition, retries and back-off included. Default 60,000 ms. A call's
   * `requestOptions.timeout` overrides it for that call.
   */
  requestTimeoutInMs?: number;
  /** One HTTP attempt: connect, headers and the whole body. Default 10,000 ms. */
  attemptTimeoutInMs?: number;
}

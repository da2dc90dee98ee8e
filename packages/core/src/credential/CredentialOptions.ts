import type { DependencyContainer } from "tsyringe";
import type { RetryOptions } from "../http/HttpPipeline.js";
import type { RefreshOptions, TokenCachePersistenceOptions } from "./TokenCredentialBase.js";

/**
 * Options every credchain credential accepts; each credential's options extend this. Every field
 * is optional; unknown fields are ignored.
 */
export interface CredentialOptions {
  /**
   * The Microsoft Entra authority: a host (`"login.microsoftonline.com"`) or an `https` URL
   * (`"https://login.microsoftonline.us"`). Plain `http` is accepted only for loopback hosts
   * (`localhost`, `127.0.0.0/8`, `[::1]`), for local emulators and tests.
   * Default: the `AZURE_AUTHORITY_HOST` environment variable, else
   * `AzureAuthorityHosts.AzurePublicCloud` (`login.microsoftonline.com`).
   * Not used by managed identity or the Azure CLI.
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
  container?: DependencyContainer;
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
   * `"http(s)://[user:pass@]host:port"`. Default from the environment: for an https authority
   * `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY` (lower case wins when both cases are set),
   * minus `NO_PROXY`; loopback and link-local hosts are never proxied. `false` ignores the
   * environment.
   */
  proxy?: string | false;
  /** Extra trusted CAs (PEM) for the authority. */
  tlsOptions?: { ca?: string | Buffer | Array<string | Buffer> };
  /** E.g. `"westus2"`. Default `AZURE_REGIONAL_AUTHORITY_NAME`; client credentials only. */
  regionalAuthority?: string;
  /**
   * One network acquisition, retries and back-off included. Default 60,000 ms; a call's
   * `requestOptions.timeout` overrides it for that call.
   */
  requestTimeoutInMs?: number;
  /** One HTTP attempt (connect, headers, whole body). Default 10,000 ms. */
  attemptTimeoutInMs?: number;
}

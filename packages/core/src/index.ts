// The public surface of @credchain/core. Named re-exports only: anything not listed is internal.
export type { AccessToken, AccessTokenInfo } from "./AccessToken.js";
export { toAccessTokenInfo } from "./AccessToken.js";
export type { GetTokenOptions, TokenRequestOptions, TracingContext } from "./GetTokenOptions.js";
export type { TokenCredential, SupportsTokenInfo } from "./TokenCredential.js";

export { CredentialUnavailableError } from "./errors/CredentialUnavailableError.js";
export {
  ClientAuthenticationError,
  type ClientAuthenticationErrorDetails,
} from "./errors/ClientAuthenticationError.js";
export { AggregateAuthenticationError } from "./errors/AggregateAuthenticationError.js";
export { AbortError } from "./errors/AbortError.js";
export { TimeoutError } from "./errors/TimeoutError.js";
export { ProxyAuthenticationError } from "./errors/ProxyAuthenticationError.js";
export { ProxyConnectionError } from "./errors/ProxyConnectionError.js";
export { ProxyTunnelError } from "./errors/ProxyTunnelError.js";
export { hasErrorName } from "./errors/hasErrorName.js";

export { ChainedTokenCredential } from "./ChainedTokenCredential.js";

export { rootContainer } from "./container.js";
export type { CredchainPlugin } from "./plugins/CredchainPlugin.js";
export { usePlugin } from "./plugins/usePlugin.js";
export { Tokens } from "./Tokens.js";
export { type Clock, systemClock } from "./Clock.js";
export { ManualClock } from "./ManualClock.js";
export { type Logger, noopLogger } from "./Logger.js";

export type { HttpRequest, HttpResponse, HttpTransport } from "./http/HttpTransport.js";
export { FetchHttpTransport } from "./http/fetchTransport.js";
export {
  HttpPipeline,
  type HttpPipelineOptions,
  type RetryContext,
  type RetryOptions,
  type RetryPolicy,
} from "./http/HttpPipeline.js";
export { MAX_RESPONSE_BYTES } from "./http/ResponseTooLargeError.js";
export { USER_AGENT } from "./http/userAgent.js";

export { CredentialEventEmitter } from "./events/CredentialEventEmitter.js";
export { credentialEvents } from "./events/credentialEvents.js";
export { credentialEventNames } from "./events/CredentialEventMap.js";
export type {
  CacheErrorEvent,
  CredentialCloseEvent,
  CredentialSelectEvent,
  CredentialEventMap,
  CredentialEventName,
  HttpRequestEvent,
  HttpResponseEvent,
  RegionalFallbackEvent,
  TokenAcquiredEvent,
  TokenCacheHitEvent,
  TokenErrorEvent,
  TokenEventBase,
  TokenRefreshEvent,
  TokenRequestEvent,
  TokenSource,
} from "./events/CredentialEventMap.js";

export {
  TokenCacheEngine,
  type AcquireContext,
  type CacheAnswer,
  type CacheRequest,
  type CacheResult,
  type TokenCacheEngineOptions,
} from "./cache/TokenCacheEngine.js";
export type {
  TokenCachePartition,
  TokenCachePersistence,
  TokenCacheStore,
  TokenCacheStoreOptions,
  TokenCoordination,
  TokenCoordinationOutcome,
} from "./cache/TokenCachePersistence.js";

export type {
  Instrumenter,
  InstrumentedSpan,
  SpanAttributes,
  SpanAttributeValue,
  SpanStartOptions,
} from "./instrumentation/Instrumenter.js";

export {
  TokenCredentialBase,
  type TokenCredentialBaseOptions,
} from "./credential/TokenCredentialBase.js";
export type { CredentialIdentity } from "./credential/CredentialIdentity.js";
export type { CredentialServices } from "./credential/resolveCredentialServices.js";
export type {
  CredentialOptions,
  CredentialTlsOptions,
  RefreshOptions,
  TokenCachePersistenceOptions,
} from "./credential/CredentialOptions.js";
export type { CredentialTokenRequest } from "./credential/CredentialTokenRequest.js";
export type { TokenResult } from "./cache/TokenResult.js";
export { normalizeScopes } from "./credential/scopes.js";
export { resolveTenantId, validateTenantId, type TenantPolicy } from "./credential/tenant.js";
export { claimsToSend } from "./credential/caeClaims.js";
export { VERSION } from "./version.js";
// For applications choosing a national cloud; credential authors find it in /credential too.
export { AzureAuthorityHosts } from "./entra/AzureAuthorityHosts.js";

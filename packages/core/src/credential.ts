// @credchain/core/credential: the surface for authors of credentials (a new credential is an
// authentication strategy plus a small class over TokenCredentialBase). Named re-exports only.
// The Reflect polyfill must load before tsyringe, whichever entry point is imported first.
import "./container.js";
export type { AccessToken } from "./AccessToken.js";
export {
  TokenCredentialBase,
  type TokenCredentialBaseOptions,
} from "./credential/TokenCredentialBase.js";
export type { CredentialTokenRequest } from "./credential/CredentialTokenRequest.js";
export type { CredentialIdentity } from "./credential/CredentialIdentity.js";
export type {
  CredentialOptions,
  CredentialTlsOptions,
  RefreshOptions,
  TokenCachePersistenceOptions,
} from "./credential/CredentialOptions.js";
export {
  resolveCredentialOptions,
  credentialDefaults,
  type ResolvedCredentialOptions,
} from "./credential/resolveCredentialOptions.js";
export type { CredentialServices } from "./credential/resolveCredentialServices.js";
export {
  CredentialReporter,
  type ReportSubject,
  type StoreReport,
} from "./credential/CredentialReporter.js";
export { checkGetTokenOptions } from "./checkGetTokenOptions.js";
export { MAX_DURATION_IN_MS, checkDuration } from "./time/duration.js";
export type { TokenResult } from "./cache/TokenResult.js";
export { normalizeScopes } from "./credential/scopes.js";
export { resolveTenantId, validateTenantId, type TenantPolicy } from "./credential/tenant.js";
export { claimsToSend } from "./credential/caeClaims.js";
export {
  DeferredCredential,
  type DeferredCredentialDescription,
  type DeferredCredentialSource,
  type DeferredInnerCredential,
} from "./credential/DeferredCredential.js";
export { injectedEnvironment } from "./credential/injectedEnvironment.js";

// The shared Microsoft Entra token client: a credential is an identity plus a ClientAuthentication.
export { EntraClientCredential, type EntraClientPackage } from "./entra/EntraClientCredential.js";
export type {
  ClientAuthentication,
  ClientAuthenticationContext,
} from "./entra/ClientAuthentication.js";
export { clientSecretAuthentication } from "./entra/clientSecretAuthentication.js";
export {
  clientAssertionAuthentication,
  JWT_BEARER_ASSERTION_TYPE,
} from "./entra/clientAssertionAuthentication.js";
export { AzureAuthorityHosts } from "./entra/AzureAuthorityHosts.js";
export { normalizeAuthority } from "./entra/normalizeAuthority.js";
export { resolveEntraIdentity, type ResolvedEntraIdentity } from "./entra/resolveEntraIdentity.js";
export {
  buildTokenRequest,
  tokenEndpoint,
  type PendingTokenRequest,
  type TokenRequestParameters,
} from "./entra/buildTokenRequest.js";
export { requestEntraToken, type EntraTokenRequest } from "./entra/requestEntraToken.js";
export { parseTokenResponse, type TokenResponseContext } from "./entra/parseTokenResponse.js";
export { isJsonObject, lifetimeSeconds, parseJsonBody } from "./entra/tokenResponseJson.js";
export { aadstsCodes, type TokenErrorContext } from "./entra/tokenEndpointError.js";
export { REDACTED, SecretRedactor } from "./entra/redact.js";
export { sleep } from "./http/abortable.js";
export {
  HttpPipeline,
  type HttpPipelineOptions,
  type RetryContext,
  type RetryOptions,
  type RetryPolicy,
} from "./http/HttpPipeline.js";

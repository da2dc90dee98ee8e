// @credchain/core/credential: the surface for authors of credentials (a new credential is an
// authentication strategy plus a small class over TokenCredentialBase). Named re-exports only.
// The Reflect polyfill must load before tsyringe, whichever entry point is imported first.
import "./container.js";
export {
  TokenCredentialBase,
  type CredentialIdentity,
  type CredentialServices,
  type RefreshOptions,
  type TokenCachePersistenceOptions,
  type TokenCredentialBaseOptions,
} from "./credential/TokenCredentialBase.js";
export { normalizeScopes } from "./credential/scopes.js";
export { resolveTenantId, validateTenantId, type TenantPolicy } from "./credential/tenant.js";
export { claimsToSend } from "./credential/caeClaims.js";
export { sleep } from "./http/abortable.js";
export {
  HttpPipeline,
  type HttpPipelineOptions,
  type RetryContext,
  type RetryOptions,
  type RetryPolicy,
} from "./http/HttpPipeline.js";

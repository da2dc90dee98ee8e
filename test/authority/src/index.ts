export { startAuthority } from "./startAuthority.js";
export type { LocalAuthority } from "./startAuthority.js";
export type { AuthorityOptions } from "./options.js";
export {
  useLocalAuthority,
  type LocalAuthorityFixture,
  type TestHooks,
  type UseLocalAuthorityOptions,
} from "./useLocalAuthority.js";
export type { RegisteredClient } from "./clients.js";
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "./constants.js";
export type {
  ExpiresAs,
  Fault,
  FaultBase,
  FaultFilter,
  FaultKind,
  HangFault,
  HtmlFault,
  LatencyFault,
  MalformedJsonFault,
  NoTokenFault,
  OversizedFault,
  ResetFault,
  StatusFault,
  TokenResponseFault,
} from "./faults.js";
export type { EndpointKind, RequestLogEntry } from "./requestLog.js";
export type { AccessTokenClaims } from "./accessToken.js";
export type { AadErrorBody } from "./errors.js";
export type { PublicRsaJwk, SigningMode } from "./jwt.js";

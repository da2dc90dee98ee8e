export { startAuthority } from "./startAuthority.js";
export { runAuthorityCli } from "./cli.js";
export type { LocalAuthority } from "./startAuthority.js";
export type { AuthorityOptions } from "./options.js";
export {
  useLocalAuthority,
  type LocalAuthorityFixture,
  type TestHooks,
  type UseLocalAuthorityOptions,
} from "./useLocalAuthority.js";
export type { RegisteredClient } from "./clients.js";
export { DEFAULT_FEDERATED_AUDIENCE, type FederatedCredential } from "./federatedCredentials.js";
export {
  createClientCertificate,
  type ClientCertificate,
  type ClientCertificateOptions,
} from "./clientCertificate.js";
export {
  createWorkloadIssuer,
  type WorkloadIssuer,
  type WorkloadIssuerOptions,
  type WorkloadTokenOptions,
} from "./workloadIssuer.js";
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
export type { IssuerOption } from "./issuer.js";
export type { AadErrorBody } from "./errors.js";
export type { PublicRsaJwk, SigningMode } from "./jwt.js";
export type {
  ManagedIdentityEndpoints,
  ManagedIdentityRequestLogEntry,
} from "./managedIdentity/ManagedIdentityEmulator.js";
export type {
  EmulatedManagedIdentity,
  ManagedIdentityEmulatorOptions,
  ManagedIdentityFault,
  ManagedIdentitySourceKind,
} from "./managedIdentity/managedIdentityOptions.js";
export {
  DEMO_SYSTEM_ASSIGNED_IDENTITY,
  DEMO_USER_ASSIGNED_IDENTITY,
} from "./managedIdentity/demoIdentities.js";

// The public surface of @credchain/client-certificate. Named re-exports only: anything not listed
// is internal. Core types (AccessToken, CredentialOptions, errors) come from @credchain/core.
export { ClientCertificateCredential } from "./ClientCertificateCredential.js";
export type {
  ClientCertificateCredentialOptions,
  ClientCertificateSource,
} from "./ClientCertificateCredentialOptions.js";
export { ClientAssertionCredential } from "./ClientAssertionCredential.js";
export { WorkloadIdentityCredential } from "./WorkloadIdentityCredential.js";
export type { WorkloadIdentityCredentialOptions } from "./WorkloadIdentityCredentialOptions.js";

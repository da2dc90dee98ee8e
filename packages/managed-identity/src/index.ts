// The public surface of @credchain/managed-identity. Named re-exports only: anything not listed
// is internal. Core types (AccessToken, GetTokenOptions, errors) come from @credchain/core.
export { ManagedIdentityCredential } from "./ManagedIdentityCredential.js";
export type { ManagedIdentityCredentialOptions } from "./ManagedIdentityCredentialOptions.js";

// The public surface of @credchain/client-secret. Named re-exports only: anything not listed is
// internal. Core types (AccessToken, GetTokenOptions, errors) are imported from @credchain/core.
export { ClientSecretCredential } from "./ClientSecretCredential.js";
export type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
export { EnvironmentCredential } from "./EnvironmentCredential.js";
// Moved to @credchain/core (every Entra credential takes an authority); re-exported so
// `import { AzureAuthorityHosts } from "@credchain/client-secret"` keeps working.
export { AzureAuthorityHosts } from "@credchain/core";

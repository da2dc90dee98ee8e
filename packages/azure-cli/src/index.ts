// The public surface of @credchain/azure-cli. Named re-exports only: anything not listed is internal.
export { AzureCliCredential } from "./AzureCliCredential.js";
export type { AzureCliCredentialOptions } from "./AzureCliCredentialOptions.js";

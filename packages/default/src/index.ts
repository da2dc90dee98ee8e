// The public surface of @credchain/default. Named re-exports only: anything not listed is internal.
export { DefaultAzureCredential } from "./DefaultAzureCredential.js";
export type { DefaultAzureCredentialOptions } from "./DefaultAzureCredentialOptions.js";

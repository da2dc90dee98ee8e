import type { CredentialOptions } from "@credchain/core/credential";

/** Options of {@link WorkloadIdentityCredential}; each identity field defaults to its environment variable. */
export interface WorkloadIdentityCredentialOptions extends CredentialOptions {
  /** Default `AZURE_TENANT_ID`. */
  tenantId?: string;
  /** Default `AZURE_CLIENT_ID`. */
  clientId?: string;
  /** The projected service account token. Default `AZURE_FEDERATED_TOKEN_FILE`. */
  tokenFilePath?: string;
}

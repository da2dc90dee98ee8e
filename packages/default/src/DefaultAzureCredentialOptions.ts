import type { CredentialOptions } from "@credchain/core";

/**
 * Options of `DefaultAzureCredential`: every credential's options (passed on to each link that
 * takes them) plus the ids of the identities to use.
 */
export interface DefaultAzureCredentialOptions extends CredentialOptions {
  /** The user-assigned managed identity's client id. Default `AZURE_CLIENT_ID`, else system-assigned. */
  managedIdentityClientId?: string;
  /** The workload identity's client id. Default `AZURE_CLIENT_ID`. */
  workloadIdentityClientId?: string;
  /** The tenant for workload identity and the Azure CLI. Default `AZURE_TENANT_ID` (workload identity) / az's. */
  tenantId?: string;
  /** How long the Azure CLI may take. Default 10,000 ms. */
  processTimeoutInMs?: number;
}

import type { CredentialOptions } from "@credchain/core";

/** Options of `AzureCliCredential`. Every field is optional. */
export interface AzureCliCredentialOptions extends Pick<
  CredentialOptions,
  "container" | "refreshOptions" | "maxCachedTokens" | "cachePersistenceOptions"
> {
  /** Ask `az` for tokens of this tenant (`--tenant`). Default: the tenant of az's current account. */
  tenantId?: string;
  /**
   * Tenants a call's `tenantId` may name besides `tenantId`; `"*"` allows any. Without `tenantId`
   * any tenant is allowed, as in `@azure/identity`: az decides which it is signed in to.
   */
  additionallyAllowedTenants?: string[];
  /** Kill `az` if it has not answered after this long. Default 10,000 ms. */
  processTimeoutInMs?: number;
}

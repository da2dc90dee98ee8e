/**
 * Who a credential is, as far as caching, tenants and logs are concerned. Never a secret.
 * Only `credentialName` is required: managed identity and Azure CLI have no authority, and their
 * tenant rules are their own.
 */
export interface CredentialIdentity {
  /** The static type name used for spans, events and messages, e.g. `"ClientSecretCredential"`. */
  credentialName: string;
  /** The authority host URL, e.g. `"https://login.microsoftonline.com"`, when there is one. */
  authorityHost?: string;
  /** The client (application) id, when there is one. */
  clientId?: string;
  /**
   * The configured tenant. With it, the base applies the Azure Identity tenant rules to
   * `getToken(..., { tenantId })`; without it, the caller's tenant (or `""`) is passed through.
   */
  tenantId?: string;
  /** Tenants besides `tenantId` a call may ask for; `"*"` allows any. Default: none. */
  additionallyAllowedTenants?: readonly string[];
  /** `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH`: every request goes to the configured tenant. */
  disableMultiTenantAuth?: boolean;
}

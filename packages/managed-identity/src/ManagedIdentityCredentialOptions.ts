import type { CredentialOptions } from "@credchain/core";

/**
 * Options of `ManagedIdentityCredential`. Without `clientId`, `resourceId` or `objectId` the
 * system-assigned identity is used; set at most one of them to pick a user-assigned identity.
 */
export interface ManagedIdentityCredentialOptions extends Pick<
  CredentialOptions,
  | "cachePersistenceOptions"
  | "container"
  | "retryOptions"
  | "refreshOptions"
  | "maxCachedTokens"
  | "requestTimeoutInMs"
  | "attemptTimeoutInMs"
> {
  /** The client (application) id of a user-assigned identity. */
  clientId?: string;
  /**
   * The Azure resource id of a user-assigned identity, e.g.
   * `/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/my-identity`.
   */
  resourceId?: string;
  /** The object (principal) id of a user-assigned identity. */
  objectId?: string;
}

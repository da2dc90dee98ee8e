import {
  EntraClientCredential,
  type CredentialOptions,
  type EntraClientPackage,
} from "@credchain/core/credential";
import { CLIENT_PACKAGE } from "./clientPackage.js";
import { federatedTokenAuthentication } from "./federatedTokenAuthentication.js";

/** The configured half of `WorkloadIdentityCredential`: identity + federated token authentication. */
export class FederatedTokenCredential extends EntraClientCredential {
  constructor(
    tenantId: string,
    clientId: string,
    tokenFilePath: string,
    options: CredentialOptions,
  ) {
    super(
      "WorkloadIdentityCredential",
      tenantId,
      clientId,
      federatedTokenAuthentication(tokenFilePath),
      options,
    );
  }

  protected override get clientPackage(): EntraClientPackage {
    return CLIENT_PACKAGE;
  }
}

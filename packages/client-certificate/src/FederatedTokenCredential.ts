import type { Clock } from "@credchain/core";
import {
  clientAssertionAuthentication,
  EntraClientCredential,
  type CredentialOptions,
  type EntraClientPackage,
} from "@credchain/core/credential";
import { readFederatedToken } from "./readFederatedToken.js";
import { CLIENT_PACKAGE } from "./clientPackage.js";

/**
 * The configured half of `WorkloadIdentityCredential`: client assertion authentication whose
 * assertion is the federated token file, read fresh for every network request and checked
 * against this credential's clock, so an expired token is never sent.
 */
export class FederatedTokenCredential extends EntraClientCredential {
  constructor(
    tenantId: string,
    clientId: string,
    tokenFilePath: string,
    options: CredentialOptions,
  ) {
    // The clock is resolved by the base constructor; the file is only read after it has run.
    const clock: { current?: Clock } = {};
    super(
      "WorkloadIdentityCredential",
      tenantId,
      clientId,
      clientAssertionAuthentication(({ abortSignal }) =>
        readFederatedToken(tokenFilePath, clock.current?.now() ?? Date.now(), abortSignal),
      ),
      options,
    );
    clock.current = this.services.clock;
  }

  protected override get clientPackage(): EntraClientPackage {
    return CLIENT_PACKAGE;
  }
}

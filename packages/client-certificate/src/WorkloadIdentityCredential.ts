import { inspect } from "node:util";
import { CredentialUnavailableError } from "@credchain/core";
import { DeferredCredential, type DeferredCredentialSource } from "@credchain/core/credential";
import { FederatedTokenCredential } from "./FederatedTokenCredential.js";
import { resolveWorkloadIdentityOptions } from "./resolveWorkloadIdentityOptions.js";
import type { WorkloadIdentityCredentialOptions } from "./WorkloadIdentityCredentialOptions.js";

/**
 * Authenticates a workload with a federated token: AKS workload identity (and any Kubernetes
 * with a projected service account token), or any OIDC issuer trusted by a federated identity
 * credential on the app. Configured by `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
 * `AZURE_FEDERATED_TOKEN_FILE` (or the options), read once at construction.
 *
 * The token file is read for every network request (never for a cache hit), so the token the
 * kubelet rotates is used at once, and a token that has already expired is never sent.
 * Anything missing: `getToken` rejects with `CredentialUnavailableError` naming what to set, so a
 * chain moves on.
 *
 * @example
 * ```ts
 * // In a pod labelled azure.workload.identity/use: "true"
 * await using credential = new WorkloadIdentityCredential();
 * const { token } = await credential.getToken("https://storage.azure.com/.default");
 * ```
 */
export class WorkloadIdentityCredential extends DeferredCredential<FederatedTokenCredential> {
  /** @param options - Identity and token file (default: the environment), plus every credential's options. */
  constructor(options?: WorkloadIdentityCredentialOptions) {
    super("WorkloadIdentityCredential", source(options));
  }
}

/** Read once: an incomplete configuration stays incomplete for this instance. */
function source(
  options: WorkloadIdentityCredentialOptions | undefined,
): DeferredCredentialSource<FederatedTokenCredential> {
  const resolved = resolveWorkloadIdentityOptions(options);
  if (resolved.kind !== "configured") {
    return {
      kind: "unavailable",
      error: new CredentialUnavailableError(resolved.message),
      missing: resolved.missing,
    };
  }
  const credential = new FederatedTokenCredential(
    resolved.tenantId,
    resolved.clientId,
    resolved.tokenFilePath,
    resolved.options,
  );
  return {
    kind: "ready",
    credential,
    json: () => ({ ...credential.toJSON(), configured: true }),
    inspect: () => inspect(credential),
  };
}

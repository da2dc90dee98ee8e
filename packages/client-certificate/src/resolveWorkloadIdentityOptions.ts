import type { CredentialOptions } from "@credchain/core/credential";
import type { WorkloadIdentityCredentialOptions } from "./WorkloadIdentityCredentialOptions.js";

/** Everything set: the identity, the token file and the options for the inner credential. */
export interface WorkloadIdentityConfiguration {
  readonly kind: "configured";
  readonly tenantId: string;
  readonly clientId: string;
  readonly tokenFilePath: string;
  readonly options: CredentialOptions;
}

/** Something missing: what, and the message `getToken` rejects with. */
export interface IncompleteWorkloadIdentity {
  readonly kind: "incomplete";
  readonly missing: readonly string[];
  readonly message: string;
}

function pick(option: unknown, name: string): string | undefined {
  if (option !== undefined) {
    if (typeof option !== "string") {
      throw new TypeError(
        `WorkloadIdentityCredential: options.${name} must be a string when given.`,
      );
    }
    if (option.trim() !== "") return option;
  }
  return undefined;
}

/**
 * Options first, then `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_FEDERATED_TOKEN_FILE`, read
 * once at construction (the only place this credential reads the environment). Missing values are
 * not an error here: `getToken` reports them as `CredentialUnavailableError`, so a chain moves on.
 */
export function resolveWorkloadIdentityOptions(
  options: WorkloadIdentityCredentialOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WorkloadIdentityConfiguration | IncompleteWorkloadIdentity {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("WorkloadIdentityCredential: options must be an object when given.");
  }
  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const tenantId = pick(options?.tenantId, "tenantId") ?? fromEnv("AZURE_TENANT_ID");
  const clientId = pick(options?.clientId, "clientId") ?? fromEnv("AZURE_CLIENT_ID");
  const tokenFilePath =
    pick(options?.tokenFilePath, "tokenFilePath") ?? fromEnv("AZURE_FEDERATED_TOKEN_FILE");
  const missing = [
    ...(tenantId === undefined ? ["AZURE_TENANT_ID (or options.tenantId)"] : []),
    ...(clientId === undefined ? ["AZURE_CLIENT_ID (or options.clientId)"] : []),
    ...(tokenFilePath === undefined
      ? ["AZURE_FEDERATED_TOKEN_FILE (or options.tokenFilePath)"]
      : []),
  ];
  if (tenantId === undefined || clientId === undefined || tokenFilePath === undefined) {
    return {
      kind: "incomplete",
      missing,
      message:
        `WorkloadIdentityCredential is unavailable: set ${missing.join(", ")}. On AKS, the workload ` +
        'identity webhook sets all three for pods labelled azure.workload.identity/use: "true" ' +
        "whose service account has the azure.workload.identity/client-id annotation.",
    };
  }
  const { tenantId: _t, clientId: _c, tokenFilePath: _f, ...rest } = options ?? {};
  return { kind: "configured", tenantId, clientId, tokenFilePath, options: rest };
}

import { AzureCliCredential } from "@credchain/azure-cli";
import { EnvironmentCredential } from "@credchain/client-secret";
import type { CredentialOptions, TokenCredential } from "@credchain/core";
import { ManagedIdentityCredential } from "@credchain/managed-identity";
import type { DefaultAzureCredentialOptions } from "./DefaultAzureCredentialOptions.js";
import type { LinkName } from "./linkNames.js";
import { WorkloadIdentityLink } from "./WorkloadIdentityLink.js";

/** One link of the chain: the credential, and what to tell a user when it is unavailable. */
export interface ChainLink {
  readonly name: LinkName;
  readonly credential: TokenCredential & { close?: () => Promise<void> };
  /** How to make this link answer, for the all-unavailable error. */
  readonly howToEnable: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

// The credentials' own test seams (see their internalOptions.ts): the same environment reaches
// managed identity and the Azure CLI as this credential read.
const MANAGED_IDENTITY_INTERNAL = Symbol.for("@credchain/managed-identity.internal");
const AZURE_CLI_INTERNAL = Symbol.for("@credchain/azure-cli.internal");

function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

const SHARED = [
  "container",
  "retryOptions",
  "refreshOptions",
  "maxCachedTokens",
  "cachePersistenceOptions",
  "requestTimeoutInMs",
  "attemptTimeoutInMs",
] as const;
const ENTRA = [
  ...SHARED,
  "authority",
  "additionallyAllowedTenants",
  "proxy",
  "tlsOptions",
  "regionalAuthority",
] as const;

/** The named options, copied, so no link sees fields meant for another. */
function pick(
  options: DefaultAzureCredentialOptions,
  names: readonly (keyof CredentialOptions)[],
): CredentialOptions {
  const out: Record<string, unknown> = {};
  for (const name of names) if (options[name] !== undefined) out[name] = options[name];
  return out;
}

/** Builds the chosen links, in chain order, from the options and the environment read once. */
export function createLinks(
  names: readonly LinkName[],
  options: DefaultAzureCredentialOptions,
  env: Environment,
  injectEnvironment: boolean,
): ChainLink[] {
  const shared = pick(options, SHARED);
  const entra = pick(options, ENTRA);
  const links: ChainLink[] = [];
  for (const name of names) {
    switch (name) {
      case "EnvironmentCredential":
        links.push({
          name,
          credential: new EnvironmentCredential(entra),
          howToEnable:
            "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal.",
        });
        break;
      case "WorkloadIdentityCredential": {
        const clientId = options.workloadIdentityClientId ?? value(env, "AZURE_CLIENT_ID");
        const tenantId = options.tenantId ?? value(env, "AZURE_TENANT_ID");
        const tokenFilePath = value(env, "AZURE_FEDERATED_TOKEN_FILE");
        links.push({
          name,
          credential: new WorkloadIdentityLink(
            {
              ...entra,
              ...(clientId === undefined ? {} : { clientId }),
              ...(tenantId === undefined ? {} : { tenantId }),
              ...(tokenFilePath === undefined ? {} : { tokenFilePath }),
            },
            tokenFilePath !== undefined,
          ),
          howToEnable:
            'on AKS, enable workload identity for the pod (label azure.workload.identity/use: "true"), which sets ' +
            "AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID; needs @credchain/client-certificate.",
        });
        break;
      }
      case "ManagedIdentityCredential": {
        const clientId = options.managedIdentityClientId ?? value(env, "AZURE_CLIENT_ID");
        links.push({
          name,
          credential: new ManagedIdentityCredential({
            ...shared,
            ...(clientId === undefined ? {} : { clientId }),
            ...(injectEnvironment ? { [MANAGED_IDENTITY_INTERNAL]: { env } } : {}),
          }),
          howToEnable:
            "run on Azure compute (VM, AKS, App Service, Functions, Container Apps, Arc, Cloud Shell) with a managed identity assigned.",
        });
        break;
      }
      case "AzureCliCredential":
        links.push({
          name,
          credential: new AzureCliCredential({
            ...(options.container === undefined ? {} : { container: options.container }),
            ...(options.refreshOptions === undefined
              ? {}
              : { refreshOptions: options.refreshOptions }),
            ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
            ...(options.additionallyAllowedTenants === undefined
              ? {}
              : { additionallyAllowedTenants: options.additionallyAllowedTenants }),
            ...(options.processTimeoutInMs === undefined
              ? {}
              : { processTimeoutInMs: options.processTimeoutInMs }),
            ...(injectEnvironment ? { [AZURE_CLI_INTERNAL]: { env } } : {}),
          }),
          howToEnable: "install the Azure CLI (https://aka.ms/azure-cli) and run `az login`.",
        });
        break;
    }
  }
  return links;
}

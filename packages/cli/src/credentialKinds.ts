import type { TokenCachePersistenceOptions, TokenCredential } from "@credchain/core";

/** The values of `credchain token --credential`. */
export const credentialKindNames = [
  "default",
  "environment",
  "managed-identity",
  "workload-identity",
  "azure-cli",
] as const;

/** One value of `--credential`. */
export type CredentialKindName = (typeof credentialKindNames)[number];

/** What the command line decided, handed to a credential's constructor. */
export interface CliCredentialSettings {
  /** `--tenant`, when given: also allowed as an additional tenant, so the request may go there. */
  readonly tenantId?: string;
  /** Set with `--cache`: the file cache plugin is registered and this names its cache. */
  readonly cachePersistenceOptions?: TokenCachePersistenceOptions;
}

/** A credential class as loaded from its package: constructed with one options object. */
export type CredentialConstructor = new (options?: Record<string, unknown>) => TokenCredential;

/** How to load and construct the credential behind one `--credential` value. */
export interface CredentialKind {
  readonly name: CredentialKindName;
  /** The package that has the class; loaded by a dynamic import, so it may be missing. */
  readonly packageName: string;
  readonly exportName: string;
  /** Whether `--tenant` means anything to it (a managed identity has exactly one tenant). */
  readonly acceptsTenant: boolean;
  /** Whether it can keep tokens in the file cache (the Azure CLI keeps its own). */
  readonly acceptsCache: boolean;
  /** The options object for its constructor. */
  options(settings: CliCredentialSettings): Record<string, unknown>;
}

function tenantOptions(settings: CliCredentialSettings): Record<string, unknown> {
  return settings.tenantId === undefined ? {} : { additionallyAllowedTenants: [settings.tenantId] };
}

function cacheOptions(settings: CliCredentialSettings): Record<string, unknown> {
  return settings.cachePersistenceOptions === undefined
    ? {}
    : { cachePersistenceOptions: settings.cachePersistenceOptions };
}

/**
 * One row per `--credential` value. Every class reads its own environment variables (as API.md
 * documents for each), so the command line only adds the tenant and the cache.
 */
export const credentialKinds: Readonly<Record<CredentialKindName, CredentialKind>> = {
  default: {
    name: "default",
    packageName: "@credchain/default",
    exportName: "DefaultAzureCredential",
    acceptsTenant: true,
    acceptsCache: true,
    options: (settings) => ({ ...tenantOptions(settings), ...cacheOptions(settings) }),
  },
  environment: {
    name: "environment",
    packageName: "@credchain/client-secret",
    exportName: "EnvironmentCredential",
    acceptsTenant: true,
    acceptsCache: true,
    options: (settings) => ({ ...tenantOptions(settings), ...cacheOptions(settings) }),
  },
  "managed-identity": {
    name: "managed-identity",
    packageName: "@credchain/managed-identity",
    exportName: "ManagedIdentityCredential",
    acceptsTenant: false,
    acceptsCache: true,
    options: (settings) => cacheOptions(settings),
  },
  "workload-identity": {
    name: "workload-identity",
    packageName: "@credchain/client-certificate",
    exportName: "WorkloadIdentityCredential",
    acceptsTenant: true,
    acceptsCache: true,
    options: (settings) => ({ ...tenantOptions(settings), ...cacheOptions(settings) }),
  },
  "azure-cli": {
    name: "azure-cli",
    packageName: "@credchain/azure-cli",
    exportName: "AzureCliCredential",
    acceptsTenant: true,
    acceptsCache: false,
    options: (settings) => tenantOptions(settings),
  },
};

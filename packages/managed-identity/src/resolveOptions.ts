import {
  rootContainer,
  Tokens,
  type CredentialIdentity,
  type CredentialOptions,
} from "@credchain/core";
import { internalOptionsOf } from "./internalOptions.js";
import type { ManagedIdentityCredentialOptions } from "./ManagedIdentityCredentialOptions.js";
import { describeIdentity, type ManagedIdentityId } from "./ManagedIdentityId.js";
import type { ManagedIdentitySource } from "./ManagedIdentitySource.js";
import { selectSource } from "./selectSource.js";

/** Everything a `ManagedIdentityCredential` needs, checked, with the environment read once. */
export interface ResolvedManagedIdentityOptions {
  identity: CredentialIdentity;
  baseOptions: CredentialOptions;
  managedIdentityId: ManagedIdentityId;
  source: ManagedIdentitySource;
}

const ID_KINDS = ["clientId", "resourceId", "objectId"] as const;

function checkId(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > 2048) {
    throw new TypeError(
      `ManagedIdentityCredential: ${name} must be a non-empty string: the user-assigned identity's ` +
        "client id, resource id or object id, shown on its Overview page in the Azure portal.",
    );
  }
  return value.trim();
}

/**
 * Sorts out the two constructor forms, checks that at most one user-assigned id is given, reads
 * the environment (the only place that does) and picks the source. The identity header secret
 * goes to the source's private field and nowhere else.
 */
export function resolveOptions(
  clientIdOrOptions: string | ManagedIdentityCredentialOptions | undefined,
  maybeOptions: ManagedIdentityCredentialOptions | undefined,
): ResolvedManagedIdentityOptions {
  let options: ManagedIdentityCredentialOptions;
  if (typeof clientIdOrOptions === "string") {
    const clientId = checkId(clientIdOrOptions, "clientId");
    if (maybeOptions?.clientId !== undefined && maybeOptions.clientId !== clientIdOrOptions) {
      throw new TypeError(
        "ManagedIdentityCredential: pass the client id either as the first argument or as options.clientId, not both.",
      );
    }
    options = { ...maybeOptions, clientId };
  } else if (clientIdOrOptions === undefined || clientIdOrOptions === null) {
    options = maybeOptions ?? {};
  } else if (typeof clientIdOrOptions === "object") {
    options = clientIdOrOptions;
  } else {
    throw new TypeError(
      "ManagedIdentityCredential: pass a client id string, an options object, or nothing.",
    );
  }
  const internal = internalOptionsOf(options);
  const given = ID_KINDS.filter((kind) => options[kind] !== undefined);
  if (given.length > 1) {
    throw new TypeError(
      `ManagedIdentityCredential: set at most one of clientId, resourceId and objectId (got ${given.join(" and ")}); ` +
        "each names a user-assigned identity on its own.",
    );
  }
  const kind = given[0];
  const managedIdentityId: ManagedIdentityId =
    kind === undefined ? { kind: "system" } : { kind, value: checkId(options[kind], kind) };

  const source = selectSource(
    internal.env ?? process.env,
    options.retryOptions,
    internal.arcTokenDirectory,
    // An injected environment describes the whole machine: no agent unless the test names one.
    internal.arcAgentPath ?? (internal.env === undefined ? undefined : null),
  );

  // Every managed identity endpoint is on this machine or link-local: never through a proxy.
  const baseOptions: CredentialOptions = { proxy: false };
  if (source.transport !== undefined) {
    // Service Fabric over https: its pinned-certificate transport, for this credential only.
    const container = (options.container ?? rootContainer).createChildContainer();
    container.register(Tokens.HttpTransport, { useValue: source.transport });
    baseOptions.container = container;
  } else if (options.container !== undefined) {
    baseOptions.container = options.container;
  }
  if (options.retryOptions !== undefined) baseOptions.retryOptions = options.retryOptions;
  if (options.refreshOptions !== undefined) baseOptions.refreshOptions = options.refreshOptions;
  if (options.maxCachedTokens !== undefined) baseOptions.maxCachedTokens = options.maxCachedTokens;
  if (options.cachePersistenceOptions !== undefined) {
    baseOptions.cachePersistenceOptions = options.cachePersistenceOptions;
  }
  if (options.requestTimeoutInMs !== undefined) {
    baseOptions.requestTimeoutInMs = options.requestTimeoutInMs;
  }
  if (options.attemptTimeoutInMs !== undefined) {
    baseOptions.attemptTimeoutInMs = options.attemptTimeoutInMs;
  }
  return {
    identity: {
      credentialName: "ManagedIdentityCredential",
      // Not an authority: the endpoint and the identity keep cache keys of different sources and
      // identities apart in a shared persistent cache.
      authorityHost: source.endpoint,
      clientId: describeIdentity(managedIdentityId),
      // Managed identity has no tenant: a caller's tenantId (Key Vault's challenge sends one) is
      // ignored rather than refused, as every Azure SDK does.
      tenantId: "",
      additionallyAllowedTenants: [],
      disableMultiTenantAuth: true,
    },
    baseOptions,
    managedIdentityId,
    source,
  };
}

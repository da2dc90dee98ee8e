import type { CredentialIdentity, CredentialOptions } from "@credchain/core";
import { tenantArgument } from "./azArguments.js";
import type { AzureCliCredentialOptions } from "./AzureCliCredentialOptions.js";
import { injectedEnvironment } from "@credchain/core/credential";
import { internalOptions } from "./internalOptions.js";

/** Everything an `AzureCliCredential` needs, checked, with the environment read once. */
export interface ResolvedAzureCliOptions {
  identity: CredentialIdentity;
  baseOptions: CredentialOptions;
  processTimeoutInMs: number;
  env: Readonly<Record<string, string | undefined>>;
}

const MAX_TIMER_IN_MS = 2 ** 31 - 1;

/** Checks the options and applies every default, in one place. */
export function resolveOptions(options: AzureCliCredentialOptions = {}): ResolvedAzureCliOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("AzureCliCredential: options must be an object when given.");
  }
  const timeout = options.processTimeoutInMs ?? 10_000;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMER_IN_MS) {
    throw new RangeError(
      `AzureCliCredential: processTimeoutInMs must be a positive number of milliseconds up to ${MAX_TIMER_IN_MS}.`,
    );
  }
  const tenantId =
    options.tenantId === undefined
      ? ""
      : tenantArgument(options.tenantId, "AzureCliCredential: tenantId");
  const allowed = options.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed)) {
    throw new TypeError(
      'AzureCliCredential: additionallyAllowedTenants must be an array of tenant ids, or ["*"].',
    );
  }
  const additionallyAllowedTenants = allowed.map((entry: unknown, index) =>
    entry === "*"
      ? "*"
      : tenantArgument(entry as string, `AzureCliCredential: additionallyAllowedTenants[${index}]`),
  );
  const baseOptions: CredentialOptions = {};
  if (options.container !== undefined) baseOptions.container = options.container;
  if (options.refreshOptions !== undefined) baseOptions.refreshOptions = options.refreshOptions;
  if (options.maxCachedTokens !== undefined) baseOptions.maxCachedTokens = options.maxCachedTokens;
  if (options.cachePersistenceOptions !== undefined) {
    baseOptions.cachePersistenceOptions = options.cachePersistenceOptions;
  }
  return {
    identity: {
      credentialName: "AzureCliCredential",
      // Not a client id: az talks to Entra itself. It only keeps cache keys apart from other
      // credentials' in a shared persistent cache.
      clientId: "azure-cli",
      // No tenant configured: no tenant policy, so a call's tenant goes to az as it is, as in
      // @azure/identity (az decides which tenants it can serve).
      ...(tenantId === "" ? {} : { tenantId, additionallyAllowedTenants }),
    },
    baseOptions,
    processTimeoutInMs: timeout,
    env: injectedEnvironment(options, internalOptions) ?? process.env,
  };
}

import { validateTenantId } from "@credchain/core";
import type { CredentialIdentity, TokenCredentialBaseOptions } from "@credchain/core";
import { AzureAuthorityHosts } from "./AzureAuthorityHosts.js";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { normalizeAuthority } from "./normalizeAuthority.js";

/** Everything a `ClientSecretCredential` needs, checked and with defaults applied. No secret. */
export interface ResolvedClientSecretOptions {
  /** Who the credential is: what the base class caches, logs and shows under. */
  identity: CredentialIdentity;
  /** What the base class takes: container, retry, refresh and persistence settings. */
  baseOptions: TokenCredentialBaseOptions;
}

/**
 * Whether `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH` is on. The Azure SDKs treat any non-empty value
 * as on; "0" and "false" are read as off here, because a user who writes them means off.
 */
function isSwitchOn(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return normalized !== "" && normalized !== "0" && normalized !== "false";
}

function requireString(value: unknown, what: string, hint: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`ClientSecretCredential: ${what} is required: ${hint}`);
  }
  return value;
}

/**
 * Checks the constructor arguments and applies every default, in one place. The only reader of
 * `AZURE_AUTHORITY_HOST` and `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH` for this credential, read
 * once at construction. The secret is checked here but not returned: the credential keeps it in
 * a private field so it can never be part of an object that gets logged or serialized.
 */
export function resolveOptions(
  tenantId: unknown,
  clientId: unknown,
  clientSecret: unknown,
  options: ClientSecretCredentialOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedClientSecretOptions {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("ClientSecretCredential: options must be an object when given.");
  }
  const tenant = validateTenantId(tenantId, "ClientSecretCredential: tenantId");
  const client = requireString(
    clientId,
    "clientId",
    "pass the application (client) id of the app registration, shown on its Overview page in the Azure portal.",
  );
  requireString(
    clientSecret,
    "clientSecret",
    "pass one of the app registration's client secret values (Certificates & secrets > Client secrets > Value, not the Secret ID).",
  );

  const allowed = options?.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed)) {
    throw new TypeError(
      'ClientSecretCredential: additionallyAllowedTenants must be an array of tenant ids, or ["*"] to allow any tenant.',
    );
  }
  const additionallyAllowedTenants = allowed.map((entry: unknown, index) =>
    entry === "*"
      ? "*"
      : validateTenantId(entry, `ClientSecretCredential: additionallyAllowedTenants[${index}]`),
  );

  const fromEnvironment = env["AZURE_AUTHORITY_HOST"];
  const authorityHost =
    options?.authority !== undefined
      ? normalizeAuthority(options.authority, "ClientSecretCredential: options.authority", tenant)
      : fromEnvironment !== undefined && fromEnvironment.trim() !== ""
        ? normalizeAuthority(
            fromEnvironment,
            "ClientSecretCredential: AZURE_AUTHORITY_HOST",
            tenant,
          )
        : `https://${AzureAuthorityHosts.AzurePublicCloud}`;

  const baseOptions: TokenCredentialBaseOptions = {};
  if (options?.container !== undefined) baseOptions.container = options.container;
  if (options?.retryOptions !== undefined) baseOptions.retryOptions = options.retryOptions;
  if (options?.refreshOptions !== undefined) baseOptions.refreshOptions = options.refreshOptions;
  if (options?.maxCachedTokens !== undefined) baseOptions.maxCachedTokens = options.maxCachedTokens;
  if (options?.proxy !== undefined) baseOptions.proxy = options.proxy;
  if (options?.tlsOptions !== undefined) baseOptions.tlsOptions = options.tlsOptions;
  if (options?.cachePersistenceOptions !== undefined) {
    baseOptions.cachePersistenceOptions = options.cachePersistenceOptions;
  }

  return {
    identity: {
      credentialName: "ClientSecretCredential",
      authorityHost,
      clientId: client,
      tenantId: tenant,
      additionallyAllowedTenants,
      disableMultiTenantAuth: isSwitchOn(env["AZURE_IDENTITY_DISABLE_MULTITENANTAUTH"]),
    },
    baseOptions,
  };
}

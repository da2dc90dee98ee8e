import type { CredentialIdentity } from "../credential/CredentialIdentity.js";
import type { CredentialOptions } from "../credential/CredentialOptions.js";
import { validateTenantId } from "../credential/tenant.js";
import { AzureAuthorityHosts } from "./AzureAuthorityHosts.js";
import { normalizeAuthority } from "./normalizeAuthority.js";

/** Who an Entra client credential is, checked, defaults applied: every field is set. */
export type ResolvedEntraIdentity = CredentialIdentity &
  Required<Pick<CredentialIdentity, "authorityHost" | "clientId" | "tenantId">>;

/**
 * Whether `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH` is on. The Azure SDKs treat any non-empty value
 * as on; "0" and "false" are read as off here, because a user who writes them means off.
 */
function isSwitchOn(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return normalized !== "" && normalized !== "0" && normalized !== "false";
}

/**
 * Checks an Entra client credential's tenant, client id, authority and allowed tenants and applies
 * their defaults, in one place (the base resolves every other option): the only reader of
 * `AZURE_AUTHORITY_HOST` and
 * `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH` for these credentials, read once at construction.
 * Messages start with `credentialName`, the class the user created.
 */
export function resolveEntraIdentity(
  credentialName: string,
  tenantId: unknown,
  clientId: unknown,
  options: CredentialOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedEntraIdentity {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${credentialName}: options must be an object when given.`);
  }
  const tenant = validateTenantId(tenantId, `${credentialName}: tenantId`);
  if (typeof clientId !== "string" || clientId.trim() === "") {
    throw new TypeError(
      `${credentialName}: clientId is required: pass the application (client) id of the app ` +
        "registration, shown on its Overview page in the Azure portal.",
    );
  }

  const allowed: unknown = options?.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed)) {
    throw new TypeError(
      `${credentialName}: additionallyAllowedTenants must be an array of tenant ids, or ["*"] to allow any tenant.`,
    );
  }
  const additionallyAllowedTenants = allowed.map((entry: unknown, index) =>
    entry === "*"
      ? "*"
      : validateTenantId(entry, `${credentialName}: additionallyAllowedTenants[${index}]`),
  );

  const fromEnvironment = env["AZURE_AUTHORITY_HOST"];
  const authorityHost =
    options?.authority !== undefined
      ? normalizeAuthority(options.authority, `${credentialName}: options.authority`, tenant)
      : fromEnvironment !== undefined && fromEnvironment.trim() !== ""
        ? normalizeAuthority(fromEnvironment, `${credentialName}: AZURE_AUTHORITY_HOST`, tenant)
        : `https://${AzureAuthorityHosts.AzurePublicCloud}`;

  return {
    credentialName,
    authorityHost,
    clientId,
    tenantId: tenant,
    additionallyAllowedTenants,
    disableMultiTenantAuth: isSwitchOn(env["AZURE_IDENTITY_DISABLE_MULTITENANTAUTH"]),
  };
}

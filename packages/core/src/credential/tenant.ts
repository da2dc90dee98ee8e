import { boundedText } from "../errors/boundedText.js";
import { ClientAuthenticationError } from "../errors/ClientAuthenticationError.js";

const TENANT_ID = /^[A-Za-z0-9.-]+$/;
/** Real tenant ids are GUIDs or DNS names (at most 253 characters); anything longer is a mistake. */
export const MAX_TENANT_ID_LENGTH = 256;

/** Tenant ids go into the token URL's path: only letters, digits, `.` and `-` are allowed. */
export function validateTenantId(tenantId: unknown, what = "tenantId"): string {
  if (typeof tenantId !== "string" || tenantId === "") {
    throw new TypeError(
      `${what} is required: pass the service principal's tenant (directory) id, e.g. "contoso.onmicrosoft.com" or a GUID.`,
    );
  }
  if (tenantId.length > MAX_TENANT_ID_LENGTH) {
    throw new TypeError(
      `${what} is ${tenantId.length} characters long; a tenant id is a GUID or a domain name of at most ${MAX_TENANT_ID_LENGTH} characters.`,
    );
  }
  // `.` and `..` pass the character rule, but the tenant is a segment of the token URL's path and
  // URL parsing resolves them as dot segments: `..` would post the secret outside the authority.
  if (!TENANT_ID.test(tenantId) || tenantId === "." || tenantId === "..") {
    throw new TypeError(
      `${what} ${boundedText(tenantId)} is not valid: a tenant id may contain only the characters A-Z, a-z, 0-9, "." and "-". ` +
        "Use the tenant's GUID or its domain name, e.g. contoso.onmicrosoft.com.",
    );
  }
  return tenantId;
}

/** How a credential was configured for multi-tenant requests. */
export interface TenantPolicy {
  tenantId: string;
  additionallyAllowedTenants: readonly string[];
  /** `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH`: every request goes to the configured tenant. */
  disableMultiTenantAuth: boolean;
}

/**
 * The tenant a request goes to, by the Azure Identity rules: the configured tenant unless the
 * caller asked for another that `additionallyAllowedTenants` lists (or `"*"` allows). Refuses
 * any other before a request is sent.
 */
export function resolveTenantId(policy: TenantPolicy, requested: string | undefined): string {
  if (requested === undefined || requested === policy.tenantId) return policy.tenantId;
  validateTenantId(requested, "options.tenantId");
  if (policy.tenantId === "adfs" || policy.disableMultiTenantAuth) return policy.tenantId;
  const allowed = policy.additionallyAllowedTenants;
  if (allowed.includes("*") || allowed.includes(requested)) return requested;
  throw new ClientAuthenticationError(
    `The credential is not configured to acquire tokens for tenant "${requested}". ` +
      "To allow it, add it to additionallyAllowedTenants when creating the credential, or add " +
      '"*" to additionallyAllowedTenants to allow acquiring tokens for any tenant.',
  );
}

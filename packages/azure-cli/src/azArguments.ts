import { validateTenantId } from "@credchain/core";

const DEFAULT_SUFFIX = "/.default";
// What a resource URI or app id needs, and nothing a shell or az's own parser could read as more.
const RESOURCE = /^[0-9A-Za-z_.:/-]+$/;

/**
 * The `--resource` for a request's scopes: exactly one scope, minus `/.default`, made only of
 * URI characters and not starting with `-` (which az would read as an option). Checked before
 * anything reaches argv.
 */
export function resourceFor(scopes: readonly string[]): string {
  if (scopes.length !== 1) {
    throw new TypeError(
      `AzureCliCredential takes exactly one scope per request (got ${scopes.length}), e.g. "https://management.azure.com/.default".`,
    );
  }
  const scope = (scopes[0] as string).trim();
  const resource = scope.endsWith(DEFAULT_SUFFIX) ? scope.slice(0, -DEFAULT_SUFFIX.length) : scope;
  if (resource === "" || resource.startsWith("-") || !RESOURCE.test(resource)) {
    throw new TypeError(
      'AzureCliCredential: the scope must be a resource URI or app id (letters, digits, "_", ".", ":", "/", "-"; ' +
        'not starting with "-") with an optional "/.default", e.g. "https://vault.azure.net/.default".',
    );
  }
  return resource;
}

/** A tenant for `--tenant`: core's tenant rule (letters, digits, `.`, `-`), not starting with `-`. */
export function tenantArgument(tenantId: string, what: string): string {
  const tenant = validateTenantId(tenantId, what);
  if (tenant.startsWith("-")) {
    throw new TypeError(`${what} must not start with "-": pass the tenant's GUID or domain name.`);
  }
  return tenant;
}

/** az's argv for one token, without a shell in between. */
export function azArguments(resource: string, tenantId: string): string[] {
  const args = ["account", "get-access-token", "--output", "json", "--resource", resource];
  if (tenantId !== "") args.push("--tenant", tenantId);
  return args;
}

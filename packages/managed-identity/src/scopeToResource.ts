const DEFAULT_SUFFIX = "/.default";
// A resource goes into a query string or a form: a URI or an app id, never spaces or controls.
const RESOURCE = /^[\x21-\x7e]+$/;

/**
 * Managed identity endpoints take a resource, not scopes: exactly one scope, minus `/.default`.
 * Checked before any request, so a mistake is a `TypeError` that says what to pass.
 */
export function scopeToResource(scopes: readonly string[]): string {
  if (scopes.length !== 1) {
    throw new TypeError(
      `ManagedIdentityCredential takes exactly one scope per request (got ${scopes.length}), e.g. ` +
        '"https://management.azure.com/.default": managed identity endpoints issue a token for one resource.',
    );
  }
  const scope = (scopes[0] as string).trim();
  const resource = scope.endsWith(DEFAULT_SUFFIX) ? scope.slice(0, -DEFAULT_SUFFIX.length) : scope;
  if (resource === "" || !RESOURCE.test(resource)) {
    throw new TypeError(
      'ManagedIdentityCredential: the scope must be a resource URI or app id with an optional "/.default" suffix, ' +
        'without spaces, e.g. "https://vault.azure.net/.default".',
    );
  }
  return resource;
}

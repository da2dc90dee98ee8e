/**
 * The scope for an Azure CLI style `--resource`: the resource URI with `/.default` appended,
 * exactly as `az account get-access-token --resource` does (a trailing `/` is not doubled).
 */
export function resourceToScope(resource: string): string {
  return resource.endsWith("/") ? `${resource}.default` : `${resource}/.default`;
}

import type { ManagedIdentitySourceKind } from "./managedIdentityOptions.js";

/**
 * Where each emulator listens on the authority's server. IMDS keeps its real path, so
 * `AZURE_POD_IDENTITY_AUTHORITY_HOST` is just the authority's URL; the others take a full URL in
 * their variable, so each gets a prefix of its own.
 */
export const MANAGED_IDENTITY_PATHS: Readonly<Record<ManagedIdentitySourceKind, string>> = {
  imds: "/metadata/identity/oauth2/token",
  "app-service": "/msi/token",
  "azure-arc": "/arc/metadata/identity/oauth2/token",
  "cloud-shell": "/cloudshell/oauth2/token",
  "service-fabric": "/servicefabric/metadata/identity/oauth2/token",
};

const BY_PATH = new Map(
  Object.entries(MANAGED_IDENTITY_PATHS).map(([kind, path]) => [
    path,
    kind as ManagedIdentitySourceKind,
  ]),
);

/** The emulated source at `path` (no query), if any. */
export function managedIdentitySourceAt(path: string): ManagedIdentitySourceKind | undefined {
  return BY_PATH.get(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
}

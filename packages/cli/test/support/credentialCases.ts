import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type LocalAuthority,
} from "@credchain/local-authority";

/**
 * One row per `--credential` value the tests exercise end to end: the environment that makes
 * it get a token from the local authority, and the secret that must never be printed. A credential
 * package that lands (managed identity, workload identity, the default chain) is one more row.
 */
export interface CredentialCase {
  readonly credential: string;
  /** The package the credential lives in; the row is skipped until it is a dependency of the CLI. */
  readonly requires: string;
  readonly env: (authority: LocalAuthority) => Record<string, string>;
  /** Values that must appear in no stdout or stderr. */
  readonly secrets: readonly string[];
}

/** The local authority's demo service principal, as EnvironmentCredential reads it. */
function servicePrincipal(authority: LocalAuthority): Record<string, string> {
  return {
    AZURE_AUTHORITY_HOST: authority.url,
    AZURE_TENANT_ID: DEMO_TENANT_ID,
    AZURE_CLIENT_ID: DEMO_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
  };
}

export const credentialCases: readonly CredentialCase[] = [
  {
    credential: "environment",
    requires: "@credchain/client-secret",
    env: servicePrincipal,
    secrets: [DEMO_CLIENT_SECRET],
  },
  {
    // The chain's first link is EnvironmentCredential, so the same variables get a token.
    credential: "default",
    requires: "@credchain/default",
    env: servicePrincipal,
    secrets: [DEMO_CLIENT_SECRET],
  },
];

/** Whether the CLI can load `packageName` (a declared dependency that is built). */
export function installed(packageName: string): boolean {
  try {
    import.meta.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/** The environment case, for tests about the command rather than one credential. */
export const environmentCase: CredentialCase = credentialCases[0]!;

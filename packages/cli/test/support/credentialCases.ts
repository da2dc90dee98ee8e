import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type LocalAuthority,
} from "@credchain/local-authority";
import { pathWithFakeAz } from "./fakeAz.js";

/**
 * One row per `--credential` value the tests exercise end to end: the environment that makes
 * it get a token from the local authority, and the secret that must never be printed. A credential
 * package that lands (managed identity, workload identity, the default chain) is one more row.
 */
export interface CredentialCase {
  readonly credential: string;
  /** What the row stands for, in the test name. */
  readonly name: string;
  /** The package the credential lives in; the row is skipped until it is a dependency of the CLI. */
  readonly requires: string;
  readonly env: (authority: LocalAuthority) => Record<string, string>;
  /** Values that must appear in no stdout or stderr. */
  readonly secrets: readonly string[];
  /** Whether `--tenant` applies (managed identity has no tenant to choose: a usage error). */
  readonly tenants: boolean;
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
    name: "a service principal in the environment",
    requires: "@credchain/client-secret",
    env: servicePrincipal,
    secrets: [DEMO_CLIENT_SECRET],
    tenants: true,
  },
  {
    // The chain's first link is EnvironmentCredential, so the same variables get a token.
    credential: "default",
    name: "its environment link",
    requires: "@credchain/default",
    env: servicePrincipal,
    secrets: [DEMO_CLIENT_SECRET],
    tenants: true,
  },
  {
    // App Service's endpoint, emulated by the local authority on 127.0.0.1.
    credential: "managed-identity",
    name: "App Service emulator",
    requires: "@credchain/managed-identity",
    env: (authority) => authority.managedIdentity.environment("app-service"),
    secrets: [],
    tenants: false,
  },
  {
    // IMDS, at the loopback address AZURE_POD_IDENTITY_AUTHORITY_HOST points to (never 169.254.169.254).
    credential: "managed-identity",
    name: "IMDS emulator",
    requires: "@credchain/managed-identity",
    env: (authority) => authority.managedIdentity.environment("imds"),
    secrets: [],
    tenants: false,
  },
  {
    credential: "azure-cli",
    name: "a fake az on PATH, logged in as the demo service principal",
    requires: "@credchain/azure-cli",
    env: (authority) => ({
      PATH: pathWithFakeAz(),
      FAKE_AZ_AUTHORITY: authority.url,
      FAKE_AZ_TENANT: DEMO_TENANT_ID,
      FAKE_AZ_CLIENT_ID: DEMO_CLIENT_ID,
      FAKE_AZ_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    }),
    secrets: [],
    tenants: true,
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

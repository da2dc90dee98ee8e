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
  readonly env: (authority: LocalAuthority) => Record<string, string>;
  /** Values that must appear in no stdout or stderr. */
  readonly secrets: readonly string[];
}

export const credentialCases: readonly CredentialCase[] = [
  {
    credential: "environment",
    env: (authority) => ({
      AZURE_AUTHORITY_HOST: authority.url,
      AZURE_TENANT_ID: DEMO_TENANT_ID,
      AZURE_CLIENT_ID: DEMO_CLIENT_ID,
      AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    }),
    secrets: [DEMO_CLIENT_SECRET],
  },
];

/** The environment case, for tests about the command rather than one credential. */
export const environmentCase: CredentialCase = credentialCases[0]!;

import { randomUUID, sign, type JsonWebKey } from "node:crypto";
import { createSigningKey, type PublicRsaJwk } from "./jwt.js";
import { DEFAULT_FEDERATED_AUDIENCE, type FederatedCredential } from "./federatedCredentials.js";

/** Options of {@link createWorkloadIssuer}. */
export interface WorkloadIssuerOptions {
  /**
   * The `iss` of minted tokens. Default: an AKS-style OIDC issuer URL that is never contacted
   * (`https://oidc.local-authority.invalid/<random>/`).
   */
  readonly issuer?: string;
  /** Clock for `iat`/`nbf`/`exp`, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** Options of one minted token. */
export interface WorkloadTokenOptions {
  /** `sub`. Default `"system:serviceaccount:default:workload"` (a Kubernetes service account). */
  readonly subject?: string;
  /** `aud`. Default `"api://AzureADTokenExchange"`. */
  readonly audience?: string;
  /** Lifetime in seconds. Default 3600, as a projected service account token. */
  readonly lifetimeInSeconds?: number;
  /** Issue time, epoch ms. Default: the issuer's clock. */
  readonly nowMs?: number;
}

/**
 * An OIDC issuer the tests control, standing in for a Kubernetes cluster's service account issuer
 * or GitHub Actions: it mints RS256 tokens a registered client's federated credential trusts, so
 * `WorkloadIdentityCredential` can be tested offline.
 */
export interface WorkloadIssuer {
  /** The `iss` of its tokens. */
  readonly issuer: string;
  /** Its public key set (`{ keys: [jwk] }`), what an OIDC issuer serves at `jwks_uri`. */
  readonly jwks: { readonly keys: readonly PublicRsaJwk[] };
  /** Mints a signed token, e.g. to write to the file `AZURE_FEDERATED_TOKEN_FILE` names. */
  mint(options?: WorkloadTokenOptions): string;
  /** A federated credential trusting this issuer for `subject` (default as `mint`). */
  federatedCredential(subject?: string, audiences?: readonly string[]): FederatedCredential;
}

const DEFAULT_SUBJECT = "system:serviceaccount:default:workload";

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * Creates a {@link WorkloadIssuer} with a fresh RSA key.
 *
 * @example
 * ```ts
 * const issuer = await createWorkloadIssuer();
 * await using authority = await startAuthority({
 *   clients: [{ clientId: "my-app", federatedCredentials: [issuer.federatedCredential()] }],
 * });
 * await writeFile(tokenFile, issuer.mint());
 * ```
 */
export async function createWorkloadIssuer(
  options: WorkloadIssuerOptions = {},
): Promise<WorkloadIssuer> {
  const key = await createSigningKey();
  const issuer = options.issuer ?? `https://oidc.local-authority.invalid/${randomUUID()}/`;
  const now = options.now ?? Date.now;
  const jwks = { keys: [key.publicJwk] };
  return {
    issuer,
    jwks,
    mint(token: WorkloadTokenOptions = {}): string {
      const iat = Math.floor((token.nowMs ?? now()) / 1000);
      const payload = {
        aud: [token.audience ?? DEFAULT_FEDERATED_AUDIENCE],
        exp: iat + (token.lifetimeInSeconds ?? 3600),
        iat,
        nbf: iat,
        iss: issuer,
        jti: randomUUID(),
        sub: token.subject ?? DEFAULT_SUBJECT,
      };
      const input = `${segment({ alg: "RS256", kid: key.kid, typ: "JWT" })}.${segment(payload)}`;
      // Synchronous: a test mints a handful of tokens; a sync call keeps `mint` simple to use.
      const signature = sign("sha256", Buffer.from(input), key.privateKey);
      return `${input}.${signature.toString("base64url")}`;
    },
    federatedCredential(
      subject: string = DEFAULT_SUBJECT,
      audiences?: readonly string[],
    ): FederatedCredential {
      return {
        issuer,
        subject,
        jwks: { keys: jwks.keys.map((jwk): JsonWebKey => ({ ...jwk })) },
        ...(audiences === undefined ? {} : { audiences }),
      };
    },
  };
}

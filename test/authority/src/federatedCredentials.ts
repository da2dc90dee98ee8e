import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { assertionErrors } from "./assertionErrors.js";
import { checkLifetime } from "./clientAssertion.js";
import { verifyJws, type DecodedJws } from "./decodeJws.js";
import type { AadError } from "./errors.js";

/** The audience Entra expects in federated tokens unless a credential says otherwise. */
export const DEFAULT_FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

/**
 * A federated identity credential on a registered client: tokens that `issuer` signs about
 * `subject` (a Kubernetes service account, a GitHub workflow) are accepted in place of a secret.
 * Exactly one of `publicKey`, `jwks` and `jwksUri` says how to verify the issuer's signature.
 */
export interface FederatedCredential {
  /** The `iss` of accepted tokens, compared exactly (as Entra does). */
  readonly issuer: string;
  /** The `sub` of accepted tokens, e.g. `system:serviceaccount:default:my-app`. */
  readonly subject: string;
  /** Accepted `aud` values. Default `["api://AzureADTokenExchange"]`. */
  readonly audiences?: readonly string[];
  /** The issuer's RSA public key: PEM (SPKI or certificate) or a JWK. */
  readonly publicKey?: string | JsonWebKey;
  /** The issuer's key set, inline. */
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
  /** Where to fetch the issuer's key set (fetched for every exchange; loopback in tests). */
  readonly jwksUri?: string;
}

interface FederatedRecord {
  readonly credential: FederatedCredential;
  readonly audiences: readonly string[];
  /** `undefined` when keys come from `jwksUri`. */
  readonly keys:
    ReadonlyArray<{ readonly kid: string | undefined; readonly key: KeyObject }> | undefined;
}

/** Checked federated credentials of one client. */
export type FederatedCredentials = readonly FederatedRecord[];

function keyOf(value: string | JsonWebKey, where: string): KeyObject {
  try {
    return typeof value === "string"
      ? createPublicKey(value)
      : createPublicKey({ key: value, format: "jwk" });
  } catch {
    throw new TypeError(`${where} is not an RSA public key (PEM or JWK)`);
  }
}

/** Checks the federated credentials registered on `clientId`; throws `TypeError` on a bad one. */
export function registerFederatedCredentials(
  credentials: readonly FederatedCredential[],
  clientId: string,
): FederatedCredentials {
  return credentials.map((credential, index) => {
    const where = `Registered client ${clientId}: federatedCredentials[${index}]`;
    if (typeof credential.issuer !== "string" || credential.issuer === "") {
      throw new TypeError(`${where} needs an issuer`);
    }
    if (typeof credential.subject !== "string" || credential.subject === "") {
      throw new TypeError(`${where} needs a subject`);
    }
    const sources = [credential.publicKey, credential.jwks, credential.jwksUri].filter(
      (s) => s !== undefined,
    );
    if (sources.length !== 1) {
      throw new TypeError(`${where} needs exactly one of publicKey, jwks or jwksUri`);
    }
    let keys: FederatedRecord["keys"];
    if (credential.publicKey !== undefined) {
      keys = [{ kid: undefined, key: keyOf(credential.publicKey, `${where}.publicKey`) }];
    } else if (credential.jwks !== undefined) {
      keys = credential.jwks.keys.map((jwk, i) => ({
        kid: typeof jwk.kid === "string" ? jwk.kid : undefined,
        key: keyOf(jwk, `${where}.jwks.keys[${i}]`),
      }));
    }
    return {
      credential,
      audiences: credential.audiences ?? [DEFAULT_FEDERATED_AUDIENCE],
      keys,
    };
  });
}

async function fetchKeys(uri: string): Promise<NonNullable<FederatedRecord["keys"]>> {
  try {
    const response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) return [];
    return (body.keys as JsonWebKey[]).flatMap((jwk) => {
      try {
        return [
          {
            kid: typeof jwk.kid === "string" ? jwk.kid : undefined,
            key: createPublicKey({ key: jwk, format: "jwk" }),
          },
        ];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

function bounded(value: unknown): string {
  return typeof value === "string" ? value.slice(0, 256) : String(value).slice(0, 64);
}

/**
 * Verifies a federated token (a workload's `client_assertion`) in Entra's order: a credential
 * with that issuer, then the subject, then the audience (each its own AADSTS code), then the
 * issuer's signature and the lifetime. No `jti` check: a projected token is legitimately
 * exchanged many times until it is rotated.
 */
export async function verifyFederatedAssertion(
  jws: DecodedJws,
  credentials: FederatedCredentials,
  nowMs: number,
): Promise<AadError | undefined> {
  const { iss, sub, aud } = jws.payload;
  const byIssuer = credentials.filter((c) => c.credential.issuer === iss);
  if (byIssuer.length === 0) return assertionErrors.noFederatedIssuer(bounded(iss));
  const bySubject = byIssuer.filter((c) => c.credential.subject === sub);
  if (bySubject.length === 0) return assertionErrors.noFederatedSubject(bounded(sub));
  const audiences = Array.isArray(aud) ? aud : [aud];
  const matching = bySubject.find((c) =>
    audiences.some((a) => typeof a === "string" && c.audiences.includes(a)),
  );
  if (matching === undefined) return assertionErrors.noFederatedAudience(bounded(audiences[0]));
  const keys = matching.keys ?? (await fetchKeys(matching.credential.jwksUri ?? ""));
  const kid = jws.header["kid"];
  const candidates = keys.filter(
    (k) => typeof kid !== "string" || k.kid === undefined || k.kid === kid,
  );
  if (!candidates.some((k) => verifyJws(jws, k.key))) {
    return assertionErrors.federatedSignature(bounded(iss));
  }
  return checkLifetime(jws, nowMs);
}

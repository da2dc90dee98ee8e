import { constants, verify, type KeyObject } from "node:crypto";

/** A compact JWS split and decoded, not yet verified. */
export interface DecodedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/** The signature algorithms the authority verifies, as Entra does for client assertions. */
export type AssertionAlgorithm = "RS256" | "PS256";

function json(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; `undefined` when it is not one. */
export function decodeJws(token: string): DecodedJws | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h = "", p = "", s = ""] = parts;
  const header = json(h);
  const payload = json(p);
  if (header === undefined || payload === undefined || s === "") return undefined;
  return {
    header,
    payload,
    signingInput: Buffer.from(`${h}.${p}`),
    signature: Buffer.from(s, "base64url"),
  };
}

/** The header's `alg` when the authority can verify it. */
export function assertionAlgorithm(jws: DecodedJws): AssertionAlgorithm | undefined {
  const alg = jws.header["alg"];
  return alg === "RS256" || alg === "PS256" ? alg : undefined;
}

/** Verifies an RS256 or PS256 signature with an RSA public key. */
export function verifyJws(jws: DecodedJws, key: KeyObject): boolean {
  const alg = assertionAlgorithm(jws);
  if (alg === undefined || key.asymmetricKeyType !== "rsa") return false;
  try {
    return verify(
      "sha256",
      jws.signingInput,
      alg === "PS256"
        ? {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : key,
      jws.signature,
    );
  } catch {
    return false;
  }
}

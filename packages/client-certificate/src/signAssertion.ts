import { constants, randomUUID, sign } from "node:crypto";
import type { SigningCertificate } from "./SigningCertificate.js";

/** The claims of a client assertion (Entra's certificate credentials format). */
export interface AssertionClaims {
  /** The token endpoint URL. */
  readonly aud: string;
  /** The client id, as `iss` and `sub`. */
  readonly clientId: string;
  /** Epoch ms: `nbf` and `iat`. */
  readonly now: number;
}

/** How long an assertion is valid: Entra and MSAL use 10 minutes; it is used at once. */
export const ASSERTION_LIFETIME_SECONDS = 600;

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * Signs a client assertion JWT (RFC 7523) with PS256: RSASSA-PSS, SHA-256, MGF1 SHA-256, a
 * 32-byte salt (RFC 7518 §3.5). Every RSA key can sign PS256, so there is no RS256 fallback.
 * The callback form of `crypto.sign` runs on the libuv pool: a burst of requests does not block
 * the event loop for the ~1 ms an RSA-2048 signature takes.
 */
export async function signAssertion(
  certificate: SigningCertificate,
  claims: AssertionClaims,
  sendCertificateChain: boolean,
): Promise<string> {
  const header: Record<string, unknown> = {
    alg: "PS256",
    typ: "JWT",
    "x5t#S256": certificate.thumbprintSha256,
  };
  if (sendCertificateChain) header["x5c"] = certificate.chain;
  const seconds = Math.floor(claims.now / 1000);
  const payload = {
    aud: claims.aud,
    iss: claims.clientId,
    sub: claims.clientId,
    jti: randomUUID(),
    nbf: seconds,
    iat: seconds,
    exp: seconds + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${segment(header)}.${segment(payload)}`;
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign(
      "sha256",
      Buffer.from(signingInput),
      {
        key: certificate.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      },
      (error, result) => {
        // node's signing errors name the operation, never the key.
        if (error) reject(error);
        else resolve(result);
      },
    );
  });
  return `${signingInput}.${signature.toString("base64url")}`;
}

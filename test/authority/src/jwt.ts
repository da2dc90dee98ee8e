import { createHash, generateKeyPair, sign, type JsonWebKey, type KeyObject } from "node:crypto";

/**
 * How issued tokens are signed. `"rs256"` (default) produces tokens verifiable with the JWKS;
 * `"none"` skips signing (`alg: "none"`, empty signature) for load tests that never verify.
 */
export type SigningMode = "rs256" | "none";

/** An RSA key the authority signs tokens with, plus its public JWK for the JWKS endpoint. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicRsaJwk;
}

/** The public half of the signing key, as published at `/{tenant}/discovery/v2.0/keys`. */
export interface PublicRsaJwk {
  readonly kty: "RSA";
  readonly use: "sig";
  readonly alg: "RS256";
  readonly kid: string;
  readonly n: string;
  readonly e: string;
}

/** Generates a fresh 2048-bit RSA signing key; async so it does not block the event loop. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{
    privateKey: KeyObject;
    publicKey: KeyObject;
  }>((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) reject(err);
      else resolve({ privateKey, publicKey });
    });
  });
  const jwk: JsonWebKey = publicKey.export({ format: "jwk" });
  if (typeof jwk.n !== "string" || typeof jwk.e !== "string") {
    throw new Error("RSA public key export did not produce n and e");
  }
  // RFC 7638 thumbprint: stable for the key and the same value any JOSE library would compute.
  const thumbprintInput = JSON.stringify({ e: jwk.e, kty: "RSA", n: jwk.n });
  const kid = createHash("sha256").update(thumbprintInput).digest("base64url");
  return {
    kid,
    privateKey,
    publicJwk: { kty: "RSA", use: "sig", alg: "RS256", kid, n: jwk.n, e: jwk.e },
  };
}

let shared: Promise<SigningKey> | undefined;

/**
 * The process-wide signing key, generated on first use. Key generation dominates start-up
 * (hundreds of ms), and suites start many authorities; a shared key keeps that a one-off cost.
 * Tokens of different authorities still differ in `iss`, which verifiers check.
 */
export function sharedSigningKey(): Promise<SigningKey> {
  shared ??= createSigningKey().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * Encodes and signs a JWT. Signing uses the callback form of `crypto.sign`, which runs on the
 * libuv thread pool, so a burst of concurrent token requests does not serialize on the event loop.
 */
export async function encodeJwt(
  payload: object,
  key: SigningKey,
  mode: SigningMode,
): Promise<string> {
  if (mode === "none") {
    return `${encodeSegment({ alg: "none", typ: "JWT" })}.${encodeSegment(payload)}.`;
  }
  const signingInput = `${encodeSegment({ alg: "RS256", typ: "JWT", kid: key.kid })}.${encodeSegment(payload)}`;
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign("sha256", Buffer.from(signingInput), key.privateKey, (err, sig) => {
      if (err) reject(err);
      else resolve(sig);
    });
  });
  return `${signingInput}.${signature.toString("base64url")}`;
}

import { createHash, X509Certificate } from "node:crypto";
import { assertionErrors } from "./assertionErrors.js";
import { assertionAlgorithm, verifyJws, type DecodedJws } from "./decodeJws.js";
import type { AadError } from "./errors.js";
import type { JtiReplayCache } from "./JtiReplayCache.js";

/** `nbf`/`exp` tolerance, as Entra allows for client clocks slightly off. */
export const ASSERTION_CLOCK_SKEW_SECONDS = 300;

/** A certificate registered on a client, indexed by the thumbprints an assertion may name. */
export interface RegisteredCertificate {
  readonly certificate: X509Certificate;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  readonly sha256: string;
  /** base64url SHA-1 of the DER (`x5t`, what older clients send). */
  readonly sha1: string;
  /** Upper-case hex SHA-1, as the portal shows it, for messages. */
  readonly hexSha1: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/** Parses the PEM certificates registered on `clientId`; throws `TypeError` on a bad one. */
export function registerCertificates(
  pems: readonly string[],
  clientId: string,
): RegisteredCertificate[] {
  return pems.map((pem, index) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new TypeError(
        `Registered client ${clientId}: certificates[${index}] is not a PEM X.509 certificate`,
      );
    }
    return {
      certificate,
      sha256: createHash("sha256").update(certificate.raw).digest("base64url"),
      sha1: createHash("sha1").update(certificate.raw).digest("base64url"),
      hexSha1: certificate.fingerprint.replace(/:/g, ""),
      notBeforeMs: Date.parse(certificate.validFrom),
      notAfterMs: Date.parse(certificate.validTo),
    };
  });
}

/** What checking a certificate assertion needs besides the assertion. */
export interface CertificateAssertionContext {
  readonly clientId: string;
  /** The URLs `aud` may be: the v2 token endpoint of the tenant (and its v1 sibling). */
  readonly audiences: readonly string[];
  readonly nowMs: number;
  readonly replay: JtiReplayCache;
}

/** Bounded, for error messages: the assertion is the caller's input. */
function bounded(value: unknown): string | undefined {
  return typeof value === "string" ? value.slice(0, 128) : undefined;
}

/** Checks the lifetime claims, with Entra's tolerance. */
export function checkLifetime(jws: DecodedJws, nowMs: number): AadError | undefined {
  const { nbf, exp } = jws.payload;
  const now = nowMs / 1000;
  if (
    typeof exp !== "number" ||
    exp + ASSERTION_CLOCK_SKEW_SECONDS < now ||
    (nbf !== undefined && (typeof nbf !== "number" || nbf - ASSERTION_CLOCK_SKEW_SECONDS > now))
  ) {
    return assertionErrors.notInValidTimeRange(nowMs, nbf, exp);
  }
  return undefined;
}

/**
 * Verifies a `private_key_jwt` certificate assertion as Entra does: the key named by `x5t#S256`
 * (or `x5t`) is registered and within its validity, the RS256/PS256 signature verifies with it,
 * an `x5c` chain starts with that certificate, `iss` = `sub` = client id, `aud` the token
 * endpoint, the lifetime holds, and the `jti` was not used before.
 */
export function verifyCertificateAssertion(
  jws: DecodedJws,
  certificates: readonly RegisteredCertificate[],
  ctx: CertificateAssertionContext,
): AadError | undefined {
  const x5tS256 = bounded(jws.header["x5t#S256"]);
  const x5t = bounded(jws.header["x5t"]);
  const registered = certificates.find(
    (c) => (x5tS256 !== undefined && c.sha256 === x5tS256) || (x5t !== undefined && c.sha1 === x5t),
  );
  if (registered === undefined) return assertionErrors.keyNotFound(ctx.clientId, x5tS256 ?? x5t);
  if (ctx.nowMs < registered.notBeforeMs || ctx.nowMs > registered.notAfterMs) {
    return assertionErrors.certificateNotValid(registered.hexSha1);
  }
  if (assertionAlgorithm(jws) === undefined || !verifyJws(jws, registered.certificate.publicKey)) {
    return assertionErrors.invalidSignature();
  }
  const x5c = jws.header["x5c"];
  if (x5c !== undefined) {
    const leaf = Array.isArray(x5c) && typeof x5c[0] === "string" ? x5c[0] : undefined;
    const leafSha256 =
      leaf === undefined
        ? undefined
        : createHash("sha256").update(Buffer.from(leaf, "base64")).digest("base64url");
    if (leafSha256 !== registered.sha256) return assertionErrors.invalidSignature();
  }
  const { iss, sub, aud, jti, exp } = jws.payload;
  if (iss !== ctx.clientId || sub !== ctx.clientId) return assertionErrors.clientIdMismatch();
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((a) => typeof a === "string" && ctx.audiences.includes(a))) {
    return assertionErrors.audienceMismatch();
  }
  const lifetime = checkLifetime(jws, ctx.nowMs);
  if (lifetime !== undefined) return lifetime;
  if (typeof jti !== "string" || jti === "") return assertionErrors.malformedAssertion();
  const expiresAtMs = ((exp as number) + ASSERTION_CLOCK_SKEW_SECONDS) * 1000;
  if (!ctx.replay.remember(`${ctx.clientId}|${jti}`, expiresAtMs, ctx.nowMs)) {
    return assertionErrors.replayed();
  }
  return undefined;
}

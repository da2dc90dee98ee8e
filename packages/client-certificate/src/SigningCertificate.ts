import { createHash, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import type { ParsedCertificatePem } from "./parseCertificatePem.js";

/**
 * A private key with the certificate it belongs to, checked: RSA, the key matches the leaf, the
 * leaf's validity window known. The key sits in a `#private` field, so `util.inspect` (even with
 * `customInspect: false`), `JSON.stringify`, `Object.keys` and structured clone never see it.
 */
export class SigningCertificate {
  readonly #privateKey: KeyObject;
  /** base64url SHA-256 of the leaf's DER: the `x5t#S256` header Entra looks the key up by. */
  readonly thumbprintSha256: string;
  /** Hex SHA-1 of the leaf, as the Azure portal shows it ("Thumbprint"), for messages. */
  readonly thumbprintSha1: string;
  /** base64 DER, leaf first: the `x5c` header (RFC 7515 §4.1.6). */
  readonly chain: readonly string[];
  /** Epoch ms. */
  readonly notBefore: number;
  /** Epoch ms. */
  readonly notAfter: number;

  constructor(parsed: ParsedCertificatePem, what: string) {
    const key = parsed.privateKey;
    // Entra ID verifies client assertions with RSA keys only (RS256/PS256); an EC key would sign
    // ES256 assertions that every tenant refuses with AADSTS700027, so say so here instead.
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") {
      throw new TypeError(
        `${what}: the private key is ${String(key.asymmetricKeyType).toUpperCase()}; Microsoft Entra ID ` +
          "accepts RSA certificates only for client assertions. Create an RSA (2048 bits or more) certificate.",
      );
    }
    const leaf = parsed.certificates.find((certificate) => certificate.checkPrivateKey(key));
    if (leaf === undefined) {
      throw new TypeError(
        `${what}: the private key does not belong to ${parsed.certificates.length === 1 ? "the certificate" : "any of its certificates"}; ` +
          "put the certificate issued for this key in the file (a renewed certificate needs its own key).",
      );
    }
    this.#privateKey = key;
    this.thumbprintSha256 = createHash("sha256").update(leaf.raw).digest("base64url");
    this.thumbprintSha1 = leaf.fingerprint.replace(/:/g, "");
    this.chain = [leaf, ...parsed.certificates.filter((c) => c !== leaf)].map((c) =>
      c.raw.toString("base64"),
    );
    this.notBefore = Date.parse(leaf.validFrom);
    this.notAfter = Date.parse(leaf.validTo);
  }

  /** The private key, for the signer only. */
  get privateKey(): KeyObject {
    return this.#privateKey;
  }

  /**
   * A message saying why the certificate cannot be used at `now` (epoch ms), or `undefined` when
   * it is within its validity window. Entra refuses an expired certificate (AADSTS7000274); this
   * says so before the request, with the dates.
   */
  validityProblem(now: number, what: string): string | undefined {
    if (now < this.notBefore) {
      return (
        `${what}: the certificate (thumbprint ${this.thumbprintSha1}) is not valid before ` +
        `${new Date(this.notBefore).toISOString()}; check the clock or use a certificate valid now.`
      );
    }
    if (now > this.notAfter) {
      return (
        `${what}: the certificate (thumbprint ${this.thumbprintSha1}) expired at ` +
        `${new Date(this.notAfter).toISOString()}; rotate it and register the new one on the app.`
      );
    }
    return undefined;
  }

  /** Thumbprint and validity only. */
  toJSON(): Record<string, string> {
    return {
      thumbprint: this.thumbprintSha1,
      notBefore: new Date(this.notBefore).toISOString(),
      notAfter: new Date(this.notAfter).toISOString(),
    };
  }

  [inspect.custom](): string {
    return `SigningCertificate { thumbprint: '${this.thumbprintSha1}' }`;
  }
}

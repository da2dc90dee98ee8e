import { createHash, createPrivateKey, generateKeyPair, X509Certificate } from "node:crypto";
import { generate } from "selfsigned";

/** Options of {@link createClientCertificate}. Every field is optional. */
export interface ClientCertificateOptions {
  /** The subject's common name. Default `"credchain-test-client"`. */
  readonly commonName?: string;
  /** Start of validity. Default: one hour ago. */
  readonly notBefore?: Date;
  /** End of validity. Default: 30 days after `notBefore`. */
  readonly notAfter?: Date;
  /** How the private key is written. Default `"pkcs8"`. */
  readonly keyFormat?: "pkcs8" | "pkcs1";
  /** Encrypts the private key (AES-256-CBC) with this password. Default: unencrypted. */
  readonly password?: string;
  /** RSA modulus length in bits. Default 2048. */
  readonly keySize?: number;
  /** Default `"rsa"`; `"ec"` (P-256) makes a certificate Entra would refuse, for negative tests. */
  readonly keyType?: "rsa" | "ec";
  /** Sign with this certificate (a CA, created without a password) instead of self-signing. */
  readonly issuer?: ClientCertificate;
}

/** A client certificate for tests: what to register on the authority and what the client holds. */
export interface ClientCertificate {
  /** The certificate alone (PEM): register it with `clients: [{ clientId, certificates: [it] }]`. */
  readonly certificate: string;
  /** The private key (PEM), in the requested format and encryption. */
  readonly privateKey: string;
  /** Certificate followed by private key: what `ClientCertificateCredential` reads. */
  readonly pem: string;
  /** Upper-case hex SHA-1, as the Azure portal shows it. */
  readonly thumbprint: string;
  /** base64url SHA-256 of the DER: the `x5t#S256` header of assertions signed with it. */
  readonly thumbprintSha256: string;
}

function keyPair(
  type: "rsa" | "ec",
  bits: number,
): Promise<{ privateKey: string; publicKey: string }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: string, privateKey: string): void => {
      if (err) reject(err);
      else resolve({ privateKey, publicKey });
    };
    const encoding = {
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    } as const;
    if (type === "ec") generateKeyPair("ec", { namedCurve: "P-256", ...encoding }, done);
    else generateKeyPair("rsa", { modulusLength: bits, ...encoding }, done);
  });
}

/**
 * Creates a self-signed (or `issuer`-signed) client certificate and its key, with the validity
 * window you choose, so certificate authentication can be tested offline: no `openssl`, no
 * files checked in. The key pair is generated on the libuv pool (tens of milliseconds for RSA).
 *
 * @example
 * ```ts
 * const cert = await createClientCertificate({ password: "pw" });
 * await using authority = await startAuthority({
 *   clients: [{ clientId: "my-app", certificates: [cert.certificate] }],
 * });
 * ```
 */
export async function createClientCertificate(
  options: ClientCertificateOptions = {},
): Promise<ClientCertificate> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 30 * 24 * 60 * 60 * 1000);
  const pair = await keyPair(options.keyType ?? "rsa", options.keySize ?? 2048);
  const generated = await generate(
    [{ name: "commonName", value: options.commonName ?? "credchain-test-client" }],
    {
      keyPair: pair,
      keyType: options.keyType ?? "rsa",
      algorithm: "sha256",
      notBeforeDate: notBefore,
      notAfterDate: notAfter,
      extensions: [
        { name: "basicConstraints", cA: options.issuer === undefined },
        { name: "keyUsage", digitalSignature: true, keyCertSign: options.issuer === undefined },
      ],
      ...(options.issuer === undefined
        ? {}
        : {
            ca: {
              key: createPrivateKey(options.issuer.privateKey)
                .export({ type: "pkcs8", format: "pem" })
                .toString(),
              cert: options.issuer.certificate,
            },
          }),
    },
  );
  const key = createPrivateKey(pair.privateKey);
  const privateKey = key
    .export({
      type: options.keyFormat ?? "pkcs8",
      format: "pem",
      ...(options.password === undefined
        ? {}
        : { cipher: "aes-256-cbc", passphrase: options.password }),
    })
    .toString();
  const x509 = new X509Certificate(generated.cert);
  return {
    certificate: generated.cert,
    privateKey,
    pem: `${generated.cert.trimEnd()}\n${privateKey}`,
    thumbprint: x509.fingerprint.replace(/:/g, ""),
    thumbprintSha256: createHash("sha256").update(x509.raw).digest("base64url"),
  };
}

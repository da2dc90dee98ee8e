import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

/** What a PEM bundle holds once parsed: the certificates in file order and the one private key. */
export interface ParsedCertificatePem {
  readonly certificates: readonly X509Certificate[];
  readonly privateKey: KeyObject;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
// PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY") and PKCS#1 ("RSA PRIVATE
// KEY", possibly with legacy Proc-Type/DEK-Info encryption headers). EC keys are matched too, so
// they can be refused with a message instead of "no private key".
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/g;

/**
 * Parses a PEM bundle: certificate(s) plus one private key, as Azure's tools export them
 * (`az ad sp create-for-rbac --create-cert`, Key Vault's PEM secrets, cert-manager's `tls.crt` +
 * `tls.key` concatenated). `what` names the source in messages (a path, or "the certificate
 * string"); no message quotes the content, and node's own errors are not attached as causes, so
 * nothing of the key can ride along in an error.
 */
export function parseCertificatePem(
  pem: string,
  password: string | undefined,
  what: string,
): ParsedCertificatePem {
  const certificateBlocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  const keyBlocks = [...pem.matchAll(PRIVATE_KEY_BLOCK)];
  if (keyBlocks.length === 0) {
    throw new TypeError(
      `${what} has no private key: pass a PEM with the certificate and its unencrypted or ` +
        "encrypted private key (a PKCS#8 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY' or PKCS#1 " +
        "'RSA PRIVATE KEY' block), e.g. `cat tls.crt tls.key > cert.pem`.",
    );
  }
  if (keyBlocks.length > 1) {
    throw new TypeError(`${what} has ${keyBlocks.length} private keys: keep exactly one.`);
  }
  if (certificateBlocks.length === 0) {
    throw new TypeError(
      `${what} has a private key but no certificate: add the '-----BEGIN CERTIFICATE-----' block ` +
        "registered on the app (Certificates & secrets > Certificates).",
    );
  }
  const [keyBlock] = keyBlocks;
  const encrypted =
    keyBlock?.[1] === "ENCRYPTED PRIVATE KEY" ||
    /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock?.[0] ?? "");
  if (encrypted && (password === undefined || password === "")) {
    throw new TypeError(
      `${what}: the private key is encrypted; pass its password as certificatePassword ` +
        "(AZURE_CLIENT_CERTIFICATE_PASSWORD for EnvironmentCredential).",
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({
      key: keyBlock?.[0] ?? "",
      format: "pem",
      ...(encrypted ? { passphrase: password } : {}),
    });
  } catch {
    throw new TypeError(
      encrypted
        ? `${what}: the private key could not be decrypted: certificatePassword is wrong.`
        : `${what}: the private key block is not a valid PKCS#8 or PKCS#1 key.`,
    );
  }
  const certificates = certificateBlocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new TypeError(`${what}: certificate ${index + 1} is not a valid X.509 certificate.`);
    }
  });
  return { certificates, privateKey };
}

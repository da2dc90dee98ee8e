import { CertificateLoader } from "./CertificateLoader.js";

const NAME = "ClientCertificateCredential";

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string")
    throw new TypeError(`${NAME}: ${what} must be a string when given.`);
  return value;
}

/**
 * Checks the constructor's third argument (a path, `{ certificatePath }` or `{ certificate }`)
 * and loads the certificate from it now, so a wrong password, a missing key or a mismatched pair
 * fails construction. The argument object is not kept: only the parsed key, in a private field.
 */
export function resolveCertificateSource(source: unknown): CertificateLoader {
  if (typeof source === "string") {
    if (source.trim() === "") {
      throw new TypeError(`${NAME}: certificatePath is empty: pass the path of a PEM file.`);
    }
    return new CertificateLoader({ kind: "path", path: source }, undefined, undefined);
  }
  if (typeof source !== "object" || source === null) {
    throw new TypeError(
      `${NAME}: pass the certificate as a PEM file path, { certificatePath, certificatePassword? } ` +
        "or { certificate, certificatePassword? } (the PEM as a string).",
    );
  }
  const { certificatePath, certificate, certificatePassword } = source as Record<string, unknown>;
  const password = optionalString(certificatePassword, "certificatePassword");
  if ((certificatePath === undefined) === (certificate === undefined)) {
    throw new TypeError(`${NAME}: pass exactly one of certificatePath and certificate.`);
  }
  if (certificatePath !== undefined) {
    if (typeof certificatePath !== "string" || certificatePath.trim() === "") {
      throw new TypeError(`${NAME}: certificatePath must be the path of a PEM file.`);
    }
    return new CertificateLoader({ kind: "path", path: certificatePath }, undefined, password);
  }
  if (typeof certificate !== "string" || certificate.trim() === "") {
    throw new TypeError(`${NAME}: certificate must be the PEM text (certificate and private key).`);
  }
  return new CertificateLoader({ kind: "string" }, certificate, password);
}

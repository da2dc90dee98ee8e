import type { CredentialOptions } from "@credchain/core/credential";

/**
 * The certificate of a {@link ClientCertificateCredential}: a PEM with the certificate(s) and the
 * private key (PKCS#8 or PKCS#1, encrypted or not), from a file or as a string.
 */
export type ClientCertificateSource =
  | {
      /** A PEM file; re-read when it changes on disk (cert-manager, Key Vault CSI driver). */
      certificatePath: string;
      /** The private key's password, when it is encrypted. */
      certificatePassword?: string;
    }
  | {
      /** The PEM itself. */
      certificate: string;
      /** The private key's password, when it is encrypted. */
      certificatePassword?: string;
    };

/** Options of {@link ClientCertificateCredential}: every credential's options, plus `sendCertificateChain`. */
export interface ClientCertificateCredentialOptions extends CredentialOptions {
  /**
   * Send the certificate chain as the assertion's `x5c` header, for subject name + issuer
   * authentication (an app that trusts a CA-issued subject rather than one thumbprint).
   * Default `false`.
   */
  sendCertificateChain?: boolean;
}

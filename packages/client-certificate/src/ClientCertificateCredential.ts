import { inspect } from "node:util";
import { EntraClientCredential, type EntraClientPackage } from "@credchain/core/credential";
import { certificateAuthentication } from "./certificateAuthentication.js";
import type {
  ClientCertificateCredentialOptions,
  ClientCertificateSource,
} from "./ClientCertificateCredentialOptions.js";
import type { CertificateLoader } from "./CertificateLoader.js";
import { resolveCertificateSource } from "./resolveCertificateSource.js";
import { CLIENT_PACKAGE } from "./clientPackage.js";

/**
 * Authenticates as a Microsoft Entra service principal with a certificate: each network request
 * carries a fresh PS256-signed client assertion (`x5t#S256`, and `x5c` with
 * `sendCertificateChain`). A cache hit signs nothing. A certificate file is checked before each
 * network request and re-read when it changed, so a rotation (cert-manager, Key Vault CSI driver)
 * is picked up without a restart.
 *
 * @example
 * ```ts
 * await using credential = new ClientCertificateCredential(tenantId, clientId, "/etc/certs/app.pem");
 * const { token } = await credential.getToken("https://vault.azure.net/.default");
 * ```
 *
 * Throws `TypeError` at construction for an unreadable file, a PEM without a private key or
 * certificate, a wrong or missing password, a key that is not the certificate's, a non-RSA key,
 * or a certificate outside its validity window (read from the injected clock).
 */
export class ClientCertificateCredential extends EntraClientCredential {
  readonly #loader: CertificateLoader;

  /**
   * @param tenantId - The service principal's tenant (directory) id, or a domain.
   * @param clientId - The app registration's application (client) id.
   * @param certificate - A PEM file path, or `{ certificatePath | certificate, certificatePassword? }`.
   * @param options - Options every credential accepts, plus `sendCertificateChain`.
   */
  constructor(
    tenantId: string,
    clientId: string,
    certificate: string | ClientCertificateSource,
    options?: ClientCertificateCredentialOptions,
  ) {
    const loader = resolveCertificateSource(certificate);
    const authentication = certificateAuthentication(loader, {
      sendCertificateChain: options?.sendCertificateChain === true,
    });
    super("ClientCertificateCredential", tenantId, clientId, authentication, options);
    // The validity window is checked against this credential's clock, which exists only now.
    const problem = loader.loaded.validityProblem(this.services.clock.now(), loader.what);
    if (problem !== undefined) throw new TypeError(`ClientCertificateCredential: ${problem}`);
    this.#loader = loader;
  }

  /** Identity and the thumbprint (as the portal shows it) of the certificate loaded last. */
  override toJSON(): Record<string, string> {
    return { ...super.toJSON(), certificateThumbprint: this.#loader.loaded.thumbprintSha1 };
  }

  /** Identity and certificate thumbprint; never key material. */
  override [inspect.custom](): string {
    const { credential, ...fields } = this.toJSON();
    const shown = Object.entries(fields).map(([name, value]) => `${name}: '${value}'`);
    return `${credential ?? "ClientCertificateCredential"} { ${shown.join(", ")} }`;
  }

  protected override get clientPackage(): EntraClientPackage {
    return CLIENT_PACKAGE;
  }
}

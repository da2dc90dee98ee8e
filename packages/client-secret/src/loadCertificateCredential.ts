import {
  CredentialUnavailableError,
  type AccessToken,
  type AccessTokenInfo,
  type CredentialEventEmitter,
  type GetTokenOptions,
  type TokenRequestOptions,
} from "@credchain/core";
import type { CertificateEnvironment } from "./resolveEnvironmentOptions.js";

/** The package that has `ClientCertificateCredential`: an optional peer dependency. */
export const CERTIFICATE_PACKAGE = "@credchain/client-certificate";

/** What `EnvironmentCredential` uses of a `ClientCertificateCredential`. */
export interface LoadedCredential {
  readonly events: CredentialEventEmitter;
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo>;
  close(): Promise<void>;
}

type CertificateCredentialClass = new (
  tenantId: string,
  clientId: string,
  certificate: { certificatePath: string; certificatePassword?: string },
  options: Record<string, unknown>,
) => LoadedCredential;

function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes(specifier)
  );
}

/**
 * Builds a `ClientCertificateCredential` from `@credchain/client-certificate`, imported only now:
 * applications that authenticate with a secret never load (or install) it. Missing -> a
 * `CredentialUnavailableError` naming the package to install, so a chain moves on.
 */
export async function loadCertificateCredential(
  environment: CertificateEnvironment,
): Promise<LoadedCredential> {
  // A variable, so that the compiler neither needs the package's types nor resolves it.
  const specifier: string = CERTIFICATE_PACKAGE;
  let loaded: { ClientCertificateCredential?: unknown };
  try {
    loaded = (await import(specifier)) as { ClientCertificateCredential?: unknown };
  } catch (error) {
    if (!isMissing(error, specifier)) throw error;
    throw new CredentialUnavailableError(
      `EnvironmentCredential is unavailable: AZURE_CLIENT_CERTIFICATE_PATH is set, but ${CERTIFICATE_PACKAGE} ` +
        `is not installed. Install it (npm install ${CERTIFICATE_PACKAGE}) to authenticate with a ` +
        "certificate, or set AZURE_CLIENT_SECRET to use a client secret.",
    );
  }
  if (typeof loaded.ClientCertificateCredential !== "function") {
    throw new CredentialUnavailableError(
      `EnvironmentCredential is unavailable: ${CERTIFICATE_PACKAGE} has no ClientCertificateCredential; ` +
        "install a version that matches @credchain/client-secret.",
    );
  }
  const Credential = loaded.ClientCertificateCredential as CertificateCredentialClass;
  return new Credential(
    environment.tenantId,
    environment.clientId,
    {
      certificatePath: environment.certificatePath,
      ...(environment.certificatePassword === undefined
        ? {}
        : { certificatePassword: environment.certificatePassword }),
    },
    { ...environment.options, sendCertificateChain: environment.sendCertificateChain },
  );
}

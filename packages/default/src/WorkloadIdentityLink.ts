import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CredentialUnavailableError,
  type AccessToken,
  type AccessTokenInfo,
  type GetTokenOptions,
  type SupportsTokenInfo,
  type TokenCredential,
  type TokenRequestOptions,
} from "@credchain/core";

/** What this link needs of `@credchain/client-certificate`'s `WorkloadIdentityCredential`. */
type LoadedCredential = TokenCredential &
  Partial<SupportsTokenInfo> & { close?: () => Promise<void> };
type WorkloadIdentityModule = {
  WorkloadIdentityCredential: new (options: Record<string, unknown>) => LoadedCredential;
};

const PACKAGE = "@credchain/client-certificate";

/**
 * The package is optional (only AKS workload identity needs it), so it is imported on first use:
 * as a dependency of this package, else from the application (`process.cwd()`), where an app
 * that wants it installs it.
 */
async function importClientCertificate(): Promise<WorkloadIdentityModule | undefined> {
  const specifier: string = PACKAGE;
  try {
    return (await import(specifier)) as WorkloadIdentityModule;
  } catch {
    try {
      const fromApp = createRequire(join(process.cwd(), "package.json")).resolve(PACKAGE);
      return (await import(pathToFileURL(fromApp).href)) as WorkloadIdentityModule;
    } catch {
      return undefined;
    }
  }
}

/**
 * The workload identity link: unavailable without `AZURE_FEDERATED_TOKEN_FILE` (no import at all
 * then), else `@credchain/client-certificate`'s `WorkloadIdentityCredential`, loaded once.
 */
export class WorkloadIdentityLink implements TokenCredential, SupportsTokenInfo {
  readonly #options: Record<string, unknown>;
  readonly #configured: boolean;
  /** Built once: a chain asks this link on every walk, and a stack capture is not free. */
  readonly #notConfigured = new CredentialUnavailableError(
    "WorkloadIdentityCredential: AZURE_FEDERATED_TOKEN_FILE is not set.",
  );
  #credential: Promise<LoadedCredential> | undefined;

  constructor(options: Record<string, unknown>, configured: boolean) {
    this.#options = options;
    this.#configured = configured;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const token = await (await this.#load()).getToken(scopes, options);
    if (token === null) {
      throw new CredentialUnavailableError("WorkloadIdentityCredential returned no token.");
    }
    return token;
  }

  async getTokenInfo(
    scopes: string | string[],
    options?: TokenRequestOptions,
  ): Promise<AccessTokenInfo> {
    const credential = await this.#load();
    if (credential.getTokenInfo !== undefined) return credential.getTokenInfo(scopes, options);
    throw new CredentialUnavailableError("WorkloadIdentityCredential has no getTokenInfo.");
  }

  async close(): Promise<void> {
    const credential = await this.#credential?.catch(() => undefined);
    await credential?.close?.();
  }

  #load(): Promise<LoadedCredential> {
    if (!this.#configured) return Promise.reject(this.#notConfigured);
    this.#credential ??= importClientCertificate().then((module) => {
      if (module === undefined) {
        this.#credential = undefined;
        throw new CredentialUnavailableError(
          `WorkloadIdentityCredential: AZURE_FEDERATED_TOKEN_FILE is set, but ${PACKAGE} is not installed. ` +
            `Install it (npm install ${PACKAGE}) to use AKS workload identity.`,
        );
      }
      return new module.WorkloadIdentityCredential(this.#options);
    });
    return this.#credential;
  }
}

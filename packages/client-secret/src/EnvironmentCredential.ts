import { inspect } from "node:util";
import {
  credentialEventNames,
  CredentialEventEmitter,
  CredentialUnavailableError,
  type AccessToken,
  type AccessTokenInfo,
  type GetTokenOptions,
  type SupportsTokenInfo,
  type TokenCredential,
  type TokenRequestOptions,
} from "@credchain/core";
import { ClientSecretCredential } from "./ClientSecretCredential.js";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { loadCertificateCredential, type LoadedCredential } from "./loadCertificateCredential.js";
import {
  resolveEnvironmentOptions,
  type CertificateEnvironment,
} from "./resolveEnvironmentOptions.js";

/**
 * Authenticates as a service principal configured by environment variables: `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID` and either `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (with
 * `AZURE_CLIENT_CERTIFICATE_PASSWORD` and `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`; the secret wins
 * when both are set, as in `@azure/identity`), plus optionally `AZURE_AUTHORITY_HOST` and
 * `AZURE_ADDITIONALLY_ALLOWED_TENANTS` (a `;`-separated list, merged with the options). The
 * environment is read once, at construction.
 *
 * - Variables missing: construction succeeds, and `getToken` rejects with
 *   `CredentialUnavailableError` naming them, so a `ChainedTokenCredential` moves on.
 * - Variables set but invalid (a malformed tenant id, a non-https authority): construction throws
 *   a `TypeError` naming the variable, as `@azure/identity` and `azure-identity` do. A broken
 *   configuration is a mistake to fix, not a reason to silently try the next credential.
 * - A secret: requests go through an inner `ClientSecretCredential`. A certificate: through a
 *   `ClientCertificateCredential` of `@credchain/client-certificate` (an optional peer dependency,
 *   imported at the first `getToken`; missing -> `CredentialUnavailableError` naming it). The
 *   inner credential's errors (`ClientAuthenticationError` with the server's codes) come through
 *   unchanged.
 *
 * @example
 * ```ts
 * const credential = new ChainedTokenCredential(new EnvironmentCredential(), fallback);
 * ```
 */
export class EnvironmentCredential implements TokenCredential, SupportsTokenInfo, AsyncDisposable {
  /**
   * Lifecycle hooks of the inner credential (whose events name it); an emitter that never fires
   * when the environment is incomplete.
   */
  readonly events: CredentialEventEmitter;
  readonly #inner: ClientSecretCredential | undefined;
  readonly #certificate: CertificateEnvironment | undefined;
  #loading: Promise<LoadedCredential> | undefined;
  /**
   * The environment is read once, so an incomplete one stays incomplete for this instance: one
   * error, built once, spares a chain (which tries this link on every call) a stack capture per
   * call, about 15 µs each.
   */
  readonly #unavailable: CredentialUnavailableError | undefined;
  readonly #missing: readonly string[];
  #closing: Promise<void> | undefined;

  /** @param options - As for `ClientSecretCredential`; explicit options win over the environment. */
  constructor(options?: ClientSecretCredentialOptions) {
    const resolved = resolveEnvironmentOptions(options);
    this.#missing = resolved.kind === "incomplete" ? resolved.missing : [];
    if (resolved.kind === "secret") {
      this.#inner = new ClientSecretCredential(
        resolved.tenantId,
        resolved.clientId,
        resolved.clientSecret,
        resolved.options,
      );
    } else if (resolved.kind === "certificate") {
      this.#certificate = resolved;
    } else {
      this.#unavailable = new CredentialUnavailableError(resolved.message);
    }
    this.events = this.#inner?.events ?? new CredentialEventEmitter();
  }

  /** Requests an access token for `scopes`; `@azure/core-auth` shape (milliseconds). */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const credential = this.#credential();
    return (credential instanceof Promise ? await credential : credential).getToken(
      scopes,
      options,
    );
  }

  /** Requests an access token for `scopes`; the seed's `AccessTokenInfo` shape (seconds). */
  async getTokenInfo(
    scopes: string | string[],
    options?: TokenRequestOptions,
  ): Promise<AccessTokenInfo> {
    const credential = this.#credential();
    return (credential instanceof Promise ? await credential : credential).getTokenInfo(
      scopes,
      options,
    );
  }

  /** Closes the inner credential. Idempotent (the same promise every time); later calls reject. */
  close(): Promise<void> {
    this.#closing ??=
      this.#inner?.close() ??
      this.#loading?.then(
        (credential) => credential.close(),
        () => undefined,
      ) ??
      Promise.resolve();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Throws unless there is a credential to use: closed, or an incomplete environment. */
  #check(): void {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        "EnvironmentCredential is closed; create a new credential to request tokens.",
      );
    }
    if (this.#inner === undefined && this.#certificate === undefined) {
      throw (
        this.#unavailable ?? new CredentialUnavailableError("EnvironmentCredential is unavailable.")
      );
    }
  }

  /** The inner credential; a promise only for a certificate, while its package loads. */
  #credential(): ClientSecretCredential | Promise<LoadedCredential> {
    this.#check();
    return this.#inner ?? this.#certificateCredential(this.#certificate as CertificateEnvironment);
  }

  /** The certificate credential, loaded once; its events are passed on to `this.events`. */
  async #certificateCredential(environment: CertificateEnvironment): Promise<LoadedCredential> {
    this.#loading ??= loadCertificateCredential(environment).then((credential) => {
      for (const name of credentialEventNames) {
        credential.events.on(name, (...payload: unknown[]) =>
          (this.events.emit as (event: string, ...args: unknown[]) => boolean)(name, ...payload),
        );
      }
      return credential;
    });
    const credential = await this.#loading;
    // close() may have been called while the package loaded.
    this.#check();
    return credential;
  }

  /** What `JSON.stringify` shows: whether it is configured, and the identity. Never a secret. */
  toJSON(): Record<string, unknown> {
    if (this.#inner !== undefined) {
      const { credential: _inner, ...identity } = this.#inner.toJSON();
      return { credential: "EnvironmentCredential", configured: true, ...identity };
    }
    if (this.#certificate !== undefined) {
      const { tenantId, clientId } = this.#certificate;
      return { credential: "EnvironmentCredential", configured: true, tenantId, clientId };
    }
    return { credential: "EnvironmentCredential", configured: false, missing: [...this.#missing] };
  }

  /** What `util.inspect` and `console.log` show. Never a secret. */
  [inspect.custom](): string {
    if (this.#inner !== undefined) return `EnvironmentCredential { ${inspect(this.#inner)} }`;
    if (this.#certificate !== undefined) {
      const { tenantId, clientId } = this.#certificate;
      return `EnvironmentCredential { certificate, tenantId: '${tenantId}', clientId: '${clientId}' }`;
    }
    return `EnvironmentCredential { unavailable, missing: ${this.#missing.join(", ")} }`;
  }
}

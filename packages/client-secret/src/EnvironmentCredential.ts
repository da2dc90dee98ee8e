import { inspect } from "node:util";
import {
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
import { resolveEnvironmentOptions } from "./resolveEnvironmentOptions.js";

/**
 * Authenticates as a service principal configured by environment variables: `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, plus optionally `AZURE_AUTHORITY_HOST` and
 * `AZURE_ADDITIONALLY_ALLOWED_TENANTS` (a `;`-separated list, merged with the options). The
 * environment is read once, at construction.
 *
 * - Variables missing: construction succeeds, and `getToken` rejects with
 *   `CredentialUnavailableError` naming them, so a `ChainedTokenCredential` moves on.
 * - Variables set but invalid (a malformed tenant id, a non-https authority): construction throws
 *   a `TypeError` naming the variable, as `@azure/identity` and `azure-identity` do. A broken
 *   configuration is a mistake to fix, not a reason to silently try the next credential.
 * - Everything set: requests go through an inner `ClientSecretCredential`, whose errors
 *   (`ClientAuthenticationError` with the server's codes) come through unchanged.
 *
 * @example
 * ```ts
 * const credential = new ChainedTokenCredential(new EnvironmentCredential(), fallback);
 * ```
 */
export class EnvironmentCredential implements TokenCredential, SupportsTokenInfo, AsyncDisposable {
  /**
   * Lifecycle hooks of the inner `ClientSecretCredential` (whose events name it); an emitter that
   * never fires when the environment is incomplete.
   */
  readonly events: CredentialEventEmitter;
  readonly #inner: ClientSecretCredential | undefined;
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
    if (resolved.kind === "configured") {
      this.#inner = new ClientSecretCredential(
        resolved.tenantId,
        resolved.clientId,
        resolved.clientSecret,
        resolved.options,
      );
      this.#missing = [];
    } else {
      this.#unavailable = new CredentialUnavailableError(resolved.message);
      this.#missing = resolved.missing;
    }
    this.events = this.#inner?.events ?? new CredentialEventEmitter();
  }

  /** Requests an access token for `scopes`; `@azure/core-auth` shape (milliseconds). */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#credential().getToken(scopes, options);
  }

  /** Requests an access token for `scopes`; the seed's `AccessTokenInfo` shape (seconds). */
  async getTokenInfo(
    scopes: string | string[],
    options?: TokenRequestOptions,
  ): Promise<AccessTokenInfo> {
    return this.#credential().getTokenInfo(scopes, options);
  }

  /** Closes the inner credential. Idempotent (the same promise every time); later calls reject. */
  close(): Promise<void> {
    this.#closing ??= this.#inner?.close() ?? Promise.resolve();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #credential(): ClientSecretCredential {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        "EnvironmentCredential is closed; create a new credential to request tokens.",
      );
    }
    if (this.#inner === undefined) {
      throw (
        this.#unavailable ?? new CredentialUnavailableError("EnvironmentCredential is unavailable.")
      );
    }
    return this.#inner;
  }

  /** What `JSON.stringify` shows: whether it is configured, and the identity. Never a secret. */
  toJSON(): Record<string, unknown> {
    if (this.#inner === undefined) {
      return {
        credential: "EnvironmentCredential",
        configured: false,
        missing: [...this.#missing],
      };
    }
    const { credential: _inner, ...identity } = this.#inner.toJSON();
    return { credential: "EnvironmentCredential", configured: true, ...identity };
  }

  /** What `util.inspect` and `console.log` show. Never a secret. */
  [inspect.custom](): string {
    return this.#inner === undefined
      ? `EnvironmentCredential { unavailable, missing: ${this.#missing.join(", ")} }`
      : `EnvironmentCredential { ${inspect(this.#inner)} }`;
  }
}

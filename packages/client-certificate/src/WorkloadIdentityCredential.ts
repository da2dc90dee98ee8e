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
import { FederatedTokenCredential } from "./FederatedTokenCredential.js";
import { resolveWorkloadIdentityOptions } from "./resolveWorkloadIdentityOptions.js";
import type { WorkloadIdentityCredentialOptions } from "./WorkloadIdentityCredentialOptions.js";

/**
 * Authenticates a workload with a federated token: AKS workload identity (and any Kubernetes
 * with a projected service account token), or any OIDC issuer trusted by a federated identity
 * credential on the app. Configured by `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
 * `AZURE_FEDERATED_TOKEN_FILE` (or the options), read once at construction.
 *
 * The token file is read for every network request (never for a cache hit), so the token the
 * kubelet rotates is used at once, and a token that has already expired is never sent.
 * Anything missing: `getToken` rejects with `CredentialUnavailableError` naming what to set, so a
 * chain moves on.
 *
 * @example
 * ```ts
 * // In a pod labelled azure.workload.identity/use: "true"
 * await using credential = new WorkloadIdentityCredential();
 * const { token } = await credential.getToken("https://storage.azure.com/.default");
 * ```
 */
export class WorkloadIdentityCredential
  implements TokenCredential, SupportsTokenInfo, AsyncDisposable
{
  /** Lifecycle hooks; an emitter that never fires when the configuration is incomplete. */
  readonly events: CredentialEventEmitter;
  readonly #inner: FederatedTokenCredential | undefined;
  /** Built once: an incomplete configuration stays incomplete for this instance. */
  readonly #unavailable: CredentialUnavailableError | undefined;
  readonly #missing: readonly string[];
  #closing: Promise<void> | undefined;

  /** @param options - Identity and token file (default: the environment), plus every credential's options. */
  constructor(options?: WorkloadIdentityCredentialOptions) {
    const resolved = resolveWorkloadIdentityOptions(options);
    if (resolved.kind === "configured") {
      this.#inner = new FederatedTokenCredential(
        resolved.tenantId,
        resolved.clientId,
        resolved.tokenFilePath,
        resolved.options,
      );
      this.#missing = [];
    } else {
      this.#unavailable = new CredentialUnavailableError(resolved.message);
      this.#missing = resolved.missing;
    }
    this.events = this.#inner?.events ?? new CredentialEventEmitter();
  }

  // Not `async`: the inner credential's promise is returned as is, so a cache hit costs what
  // ClientSecretCredential's does (no extra promise and microtask per call).

  /** Requests an access token for `scopes`; `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    try {
      return this.#credential().getToken(scopes, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Requests an access token for `scopes`; the seed's `AccessTokenInfo` shape (seconds). */
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo> {
    try {
      return this.#credential().getTokenInfo(scopes, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes the credential. Idempotent (the same promise every time); later calls reject. */
  close(): Promise<void> {
    this.#closing ??= this.#inner?.close() ?? Promise.resolve();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #credential(): FederatedTokenCredential {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        "WorkloadIdentityCredential is closed; create a new credential to request tokens.",
      );
    }
    if (this.#inner === undefined) {
      throw (
        this.#unavailable ??
        new CredentialUnavailableError("WorkloadIdentityCredential is unavailable.")
      );
    }
    return this.#inner;
  }

  /** What `JSON.stringify` shows: whether it is configured, and the identity. Never a token. */
  toJSON(): Record<string, unknown> {
    if (this.#inner === undefined) {
      return {
        credential: "WorkloadIdentityCredential",
        configured: false,
        missing: [...this.#missing],
      };
    }
    return { ...this.#inner.toJSON(), configured: true };
  }

  /** What `util.inspect` and `console.log` show. Never a token. */
  [inspect.custom](): string {
    return this.#inner === undefined
      ? `WorkloadIdentityCredential { unavailable, missing: ${this.#missing.join(", ")} }`
      : inspect(this.#inner);
  }
}

import { inspect } from "node:util";
import type { AccessToken, AccessTokenInfo } from "../AccessToken.js";
import { CredentialUnavailableError } from "../errors/CredentialUnavailableError.js";
import { CredentialEventEmitter } from "../events/CredentialEventEmitter.js";
import { credentialEventNames } from "../events/CredentialEventMap.js";
import type { GetTokenOptions, TokenRequestOptions } from "../GetTokenOptions.js";
import type { SupportsTokenInfo, TokenCredential } from "../TokenCredential.js";

/** What a `DeferredCredential` needs of the credential it wraps. */
export interface DeferredInnerCredential {
  readonly events: CredentialEventEmitter;
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken>;
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo>;
  close(): Promise<void>;
}

/** How the wrapped credential is shown by `toJSON` and `util.inspect`: identity only, never a secret. */
export interface DeferredCredentialDescription {
  json(): Record<string, unknown>;
  inspect(): string;
}

/**
 * What a `DeferredCredential` wraps, decided once at construction (from options and the
 * environment read once):
 * - `ready`: a credential built at once; its events are this one's.
 * - `deferred`: one built on the first request (e.g. from an optional package), once; its events
 *   are passed on to this one's.
 * - `unavailable`: the configuration is incomplete; every request rejects with `error`.
 */
export type DeferredCredentialSource<T extends DeferredInnerCredential> =
  | ({ kind: "ready"; credential: T } & DeferredCredentialDescription)
  | ({ kind: "deferred"; load: () => Promise<T> } & DeferredCredentialDescription)
  | { kind: "unavailable"; error: CredentialUnavailableError; missing: readonly string[] };

/**
 * A credential configured from the environment or else unavailable, over an inner credential
 * built at once or on first use: `CredentialUnavailableError` when unconfigured (so a chain moves
 * on) or closed, an idempotent `close`, the inner credential's events, and `toJSON` /
 * `util.inspect` showing whether it is configured and the identity.
 *
 * @example
 * ```ts
 * export class MyEnvironmentCredential extends DeferredCredential<ClientSecretCredential> {
 *   constructor(options?: MyOptions) {
 *     super("MyEnvironmentCredential", sourceFrom(resolveMyOptions(options)));
 *   }
 * }
 * ```
 */
export class DeferredCredential<T extends DeferredInnerCredential>
  implements TokenCredential, SupportsTokenInfo, AsyncDisposable
{
  /** Lifecycle hooks of the inner credential; an emitter that never fires when unconfigured. */
  readonly events: CredentialEventEmitter;
  readonly #name: string;
  readonly #source: DeferredCredentialSource<T>;
  #loading: Promise<T> | undefined;
  #closing: Promise<void> | undefined;

  /**
   * @param name - The credential's name, in its errors, `toJSON` and `util.inspect`.
   * @param source - What it wraps (see `DeferredCredentialSource`).
   */
  constructor(name: string, source: DeferredCredentialSource<T>) {
    this.#name = name;
    this.#source = source;
    this.events = source.kind === "ready" ? source.credential.events : new CredentialEventEmitter();
  }

  // Not `async`: a ready inner credential's promise is returned as is, so a cache hit costs what
  // the inner credential's does (no extra promise and microtask per call).

  /** Requests an access token for `scopes`; `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    try {
      const credential = this.#credential();
      return credential instanceof Promise
        ? credential.then((loaded) => loaded.getToken(scopes, options))
        : credential.getToken(scopes, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Requests an access token for `scopes`; the seed's `AccessTokenInfo` shape (seconds). */
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo> {
    try {
      const credential = this.#credential();
      return credential instanceof Promise
        ? credential.then((loaded) => loaded.getTokenInfo(scopes, options))
        : credential.getTokenInfo(scopes, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes the inner credential. Idempotent (the same promise every time); later calls reject. */
  close(): Promise<void> {
    this.#closing ??=
      this.#source.kind === "ready"
        ? this.#source.credential.close()
        : (this.#loading?.then(
            (credential) => credential.close(),
            () => undefined,
          ) ?? Promise.resolve());
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Throws unless there is a credential to use: closed, or unconfigured. */
  #check(): void {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        `${this.#name} is closed; create a new credential to request tokens.`,
      );
    }
    if (this.#source.kind === "unavailable") throw this.#source.error;
  }

  /** The inner credential; a promise only for a deferred one, while it is built. */
  #credential(): T | Promise<T> {
    this.#check();
    const source = this.#source;
    if (source.kind === "ready") return source.credential;
    return this.#loaded(source as { load: () => Promise<T> });
  }

  /** The deferred credential, built once; its events are passed on to `this.events`. */
  async #loaded(source: { load: () => Promise<T> }): Promise<T> {
    this.#loading ??= source.load().then((credential) => {
      for (const name of credentialEventNames) {
        credential.events.on(name, (...payload: unknown[]) =>
          (this.events.emit as (event: string, ...args: unknown[]) => boolean)(name, ...payload),
        );
      }
      return credential;
    });
    const credential = await this.#loading;
    // close() may have been called while it was built.
    this.#check();
    return credential;
  }

  /** What `JSON.stringify` shows: whether it is configured, and the identity. Never a secret. */
  toJSON(): Record<string, unknown> {
    const source = this.#source;
    if (source.kind === "unavailable") {
      return { credential: this.#name, configured: false, missing: [...source.missing] };
    }
    return source.json();
  }

  /** What `util.inspect` and `console.log` show. Never a secret. */
  [inspect.custom](): string {
    const source = this.#source;
    return source.kind === "unavailable"
      ? `${this.#name} { unavailable, missing: ${source.missing.join(", ")} }`
      : source.inspect();
  }
}

import { performance } from "node:perf_hooks";
import { inspect } from "node:util";
import type { DependencyContainer, InjectionToken } from "tsyringe";
import { toAccessTokenInfo, type AccessToken, type AccessTokenInfo } from "../AccessToken.js";
import { systemClock, type Clock } from "../Clock.js";
import { rootContainer } from "../container.js";
import { isMaterialized } from "../lazyContainer.js";
import type { GetTokenOptions, TokenRequestOptions } from "../GetTokenOptions.js";
import { guardLogger, noopLogger, type Logger } from "../Logger.js";
import type { SupportsTokenInfo, TokenCredential } from "../TokenCredential.js";
import { Tokens } from "../Tokens.js";
import {
  TokenCacheEngine,
  type CacheAnswer,
  type CacheRequest,
} from "../cache/TokenCacheEngine.js";
import type { TokenCacheStore } from "../cache/TokenCachePersistence.js";
import { AbortError } from "../errors/AbortError.js";
import { CredentialUnavailableError } from "../errors/CredentialUnavailableError.js";
import { CredentialEventEmitter } from "../events/CredentialEventEmitter.js";
import type { TokenEventBase } from "../events/CredentialEventMap.js";
import { EventSink } from "../events/EventSink.js";
import { createDefaultTransport } from "../http/createDefaultTransport.js";
import type { DefaultHttpTransport } from "../http/DefaultHttpTransport.js";
import { HttpPipeline, type RetryOptions } from "../http/HttpPipeline.js";
import { requestSignal } from "../http/requestSignal.js";
import type { TlsOptions } from "../http/trustedCertificates.js";
import type { InstrumentedSpan, Instrumenter } from "../instrumentation/Instrumenter.js";
import { normalizeScopes, scopeSetKey } from "./scopes.js";
import { resolveTenantId, type TenantPolicy } from "./tenant.js";

/** Persistent caching, as the seed's `cache_persistence_options`. Needs a persistence plugin. */
export interface TokenCachePersistenceOptions {
  /** The cache name. Default `"msal.cache"`. */
  name?: string;
  /** Store tokens unencrypted when no encryption key is available. Default `false`. */
  allowUnencryptedStorage?: boolean;
}

/** When to refresh cached tokens. */
export interface RefreshOptions {
  /** Refresh this long before expiry when the server gave no `refresh_in`. Default 300,000 ms. */
  refreshOffsetInMs?: number;
  /** After a failed background refresh, wait this long before the next. Default 30,000 ms. */
  retryIntervalInMs?: number;
}

/** Options every credential built on `TokenCredentialBase` accepts. */
export interface TokenCredentialBaseOptions {
  /** Resolve collaborators from a child of this container. Default: `rootContainer`. */
  container?: DependencyContainer;
  retryOptions?: RetryOptions;
  refreshOptions?: RefreshOptions;
  cachePersistenceOptions?: TokenCachePersistenceOptions;
  /** The most tokens kept in memory (least recently used evicted first). Default 10,000. */
  maxCachedTokens?: number;
  /**
   * The forward proxy for token requests, `"http(s)://[user:password@]host:port"`, or `false` to
   * ignore the environment. Default: for an https authority `HTTPS_PROXY`, else `ALL_PROXY`, else
   * `HTTP_PROXY` (lower case wins when both are set), minus `NO_PROXY`. Loopback and link-local
   * hosts are never proxied. Ignored when a plugin registered its own `HttpTransport`.
   */
  proxy?: string | false;
  /** Extra trusted CAs (PEM) for the authority or a TLS-inspecting proxy. Default: Node's. */
  tlsOptions?: TlsOptions;
}

/** Who the credential is, as far as caching, tenants and logs are concerned. Never a secret. */
export interface CredentialIdentity extends TenantPolicy {
  /** The static type name used for spans and events, e.g. `"ClientSecretCredential"`. */
  credentialName: string;
  /** The authority host URL, e.g. `"https://login.microsoftonline.com"`. */
  authorityHost: string;
  clientId: string;
}

/** The collaborators a credential resolved from its container. */
export interface CredentialServices {
  clock: Clock;
  logger: Logger;
  http: HttpPipeline;
  instrumenter: Instrumenter | undefined;
}

function resolveOptional<T>(
  container: DependencyContainer | undefined,
  token: InjectionToken<T>,
): T | undefined {
  return container?.isRegistered(token, true) === true ? container.resolve(token) : undefined;
}

const NAME = /^[A-Za-z0-9._-]+$/;

const tokenOf = (answer: CacheAnswer): AccessToken => answer.token;

/** A requested tenant, resolved: where requests go and the cache partitions (`[nocae, cae]`). */
interface TenantSlot {
  readonly tenantId: string;
  readonly partitions: readonly [string, string];
}

/**
 * The machinery every credchain credential shares: argument checks, multi-tenant rules, the token
 * cache engine, events, spans, timeouts and abort, `getTokenInfo`, `close` and `await using`.
 * A subclass only says how to fetch one token from the network (`requestToken`).
 */
export abstract class TokenCredentialBase
  implements TokenCredential, SupportsTokenInfo, AsyncDisposable
{
  /** This credential's lifecycle hooks. Every event also goes to the process-wide `credentialEvents`. */
  readonly events: CredentialEventEmitter = new CredentialEventEmitter();
  /** The collaborators resolved from the container, for subclasses. */
  protected readonly services: CredentialServices;
  readonly #identity: CredentialIdentity;
  readonly #sink: EventSink;
  readonly #engine: TokenCacheEngine;
  readonly #keyPrefix: string;
  /** Cache partitions by tenant: `[nocae, cae]`; see `#partition`. */
  readonly #partitions = new Map<string, readonly [string, string]>();
  /** Requested tenant id -> the tenant it resolved to and its partitions; see `#get`. */
  readonly #tenants = new Map<string, TenantSlot>();
  #defaultTenant: TenantSlot | undefined;
  readonly #stores: { cae?: TokenCacheStore; nocae?: TokenCacheStore } = {};
  #closing: Promise<void> | undefined;
  /** The default transport, when this credential built it (and so closes it). */
  #ownTransport: DefaultHttpTransport | undefined;

  protected constructor(identity: CredentialIdentity, options: TokenCredentialBaseOptions = {}) {
    this.#identity = identity;
    // Nothing registered anywhere (no plugin, no container given): no child container to make,
    // and tsyringe is never loaded. Every collaborator is then its default.
    const container =
      options.container !== undefined
        ? options.container.createChildContainer()
        : isMaterialized(rootContainer)
          ? rootContainer.createChildContainer()
          : undefined;
    const clock = resolveOptional(container, Tokens.Clock) ?? systemClock;
    const logger = guardLogger(resolveOptional(container, Tokens.Logger) ?? noopLogger);
    const instrumenter = resolveOptional(container, Tokens.Instrumenter);
    this.#sink = new EventSink(this.events);
    this.events.onListenerError = (error, event) =>
      logger.warn(`credchain: a "${event}" listener threw; ignored.`, error);
    // A plugin's transport wins; the default one is built (and the environment read) only without it.
    const registered = resolveOptional(container, Tokens.HttpTransport);
    if (registered === undefined) {
      this.#ownTransport = createDefaultTransport({
        ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
        ...(options.tlsOptions === undefined ? {} : { tlsOptions: options.tlsOptions }),
      });
    }
    const http = new HttpPipeline({
      transport: registered ?? (this.#ownTransport as DefaultHttpTransport),
      clock,
      retry: options.retryOptions ?? {},
      events: this.#sink,
      instrumenter,
      logger,
    });
    this.services = { clock, logger, http, instrumenter };

    const persistence = options.cachePersistenceOptions;
    if (persistence !== undefined) {
      const plugin = resolveOptional(container, Tokens.TokenCachePersistence);
      if (plugin === undefined) {
        throw new CredentialUnavailableError(
          `${identity.credentialName}: cachePersistenceOptions needs a persistence plugin. Install ` +
            "@credchain/cache-file and call usePlugin(fileCachePlugin()) before creating the credential, " +
            "or omit cachePersistenceOptions to cache in memory.",
        );
      }
      const name = persistence.name ?? "msal.cache";
      if (!NAME.test(name)) {
        throw new TypeError(
          `cachePersistenceOptions.name ${JSON.stringify(name)} is not valid: use letters, digits, ".", "_" and "-".`,
        );
      }
      const allowUnencryptedStorage = persistence.allowUnencryptedStorage === true;
      this.#stores.nocae = plugin.open({ name, partition: "nocae", allowUnencryptedStorage });
      this.#stores.cae = plugin.open({ name, partition: "cae", allowUnencryptedStorage });
    }

    this.#engine = new TokenCacheEngine({
      clock,
      acquire: (request, signal) => this.requestToken(request, signal),
      refreshOffsetInMs: options.refreshOptions?.refreshOffsetInMs,
      retryIntervalInMs: options.refreshOptions?.retryIntervalInMs,
      maxEntries: options.maxCachedTokens,
      persistentStore:
        persistence === undefined
          ? undefined
          : (cae) => (cae ? this.#stores.cae : this.#stores.nocae),
      onRefresh: (request, outcome, error, nextAttemptTimestamp) => {
        if (outcome === "failed") {
          logger.warn(
            `credchain: ${identity.credentialName} could not refresh a token for ${request.scopes.join(" ")}; ` +
              "serving the cached token until it expires.",
            error,
          );
        }
        if (this.#sink.has("token:refresh")) {
          this.#sink.emit("token:refresh", {
            ...this.#eventBase(request.scopes, request.tenantId, request.cae),
            outcome,
            ...(error === undefined ? {} : { error }),
            ...(nextAttemptTimestamp === undefined ? {} : { nextAttemptTimestamp }),
          });
        }
      },
      onPersistenceError: (request, operation, error) => {
        logger.warn(
          `credchain: persistent token cache ${operation} failed; continuing without it.`,
          error,
        );
        if (this.#sink.has("cache:error")) {
          const name = persistence?.name ?? "msal.cache";
          this.#sink.emit("cache:error", {
            store: `${name}.${request.cae ? "cae" : "nocae"}`,
            operation,
            error,
          });
        }
      },
    });
    // The authority and client id make keys unique across credentials sharing a persistent store.
    this.#keyPrefix = `${identity.authorityHost}|${identity.clientId}|`;
  }

  /**
   * Fetches one token from the network. `request.tenantId` is already resolved and allowed;
   * `request.claims` is the caller's challenge (merge CAE with `claimsToSend`). Called at most
   * once per cache key at a time.
   */
  protected abstract requestToken(request: CacheRequest, signal: AbortSignal): Promise<AccessToken>;

  /** Requests an access token for `scopes`; `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    // Not `async`: a cache hit resolves in one step instead of an extra await's microtask turn
    // (a fifth of a hit's cost). Synchronous throws still become rejections.
    try {
      const answer = this.#get(scopes, options, "getToken");
      return answer instanceof Promise ? answer.then(tokenOf) : Promise.resolve(answer.token);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Requests an access token for `scopes`; the seed's `AccessTokenInfo` shape (seconds). */
  async getTokenInfo(
    scopes: string | string[],
    options?: TokenRequestOptions,
  ): Promise<AccessTokenInfo> {
    return toAccessTokenInfo((await this.#get(scopes, options, "getTokenInfo")).token);
  }

  /**
   * Closes the credential: aborts requests in flight, drops cached tokens from memory and closes
   * persistent stores. Idempotent (the same promise every time); later calls reject.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    this.#engine.clear(this.#closedError());
    await this.#ownTransport?.close();
    const results = await Promise.allSettled(
      [this.#stores.cae, this.#stores.nocae].map(async (store) => store?.close?.()),
    );
    for (const result of results) {
      // Closing flushes pending writes; a failure there loses tokens from the persistent cache
      // (not from this process), which is worth a line in the log, not a failed close().
      if (result.status === "rejected") {
        this.services.logger.warn(
          `credchain: ${this.#identity.credentialName} could not close its persistent token cache.`,
          result.reason,
        );
      }
    }
    if (this.#sink.has("credential:close")) {
      this.#sink.emit("credential:close", { credential: this.#identity.credentialName });
    }
  }

  #closedError(): CredentialUnavailableError {
    return new CredentialUnavailableError(
      `${this.#identity.credentialName} is closed; create a new credential to request tokens.`,
    );
  }

  /**
   * The cache partition for a tenant and CAE setting: authority, client id, tenant, CAE. Built
   * once per tenant and reused, so a hit looks up an already-hashed string in a small map and then
   * only the scope in that partition's map.
   */
  #partition(tenantId: string, cae: boolean): string {
    let pair = this.#partitions.get(tenantId);
    if (pair === undefined) {
      // Bounded: a caller cycling through endless tenants must not grow this without limit.
      if (this.#partitions.size >= 1_000) this.#partitions.clear();
      const prefix = `${this.#keyPrefix}${tenantId}|`;
      pair = [`${prefix}nocae|`, `${prefix}cae|`];
      this.#partitions.set(tenantId, pair);
    }
    return pair[cae ? 1 : 0];
  }

  #eventBase(scopes: readonly string[], tenantId: string, cae: boolean): TokenEventBase {
    return { credential: this.#identity.credentialName, scopes, tenantId, cae };
  }

  #get(
    scopes: string | string[],
    options: GetTokenOptions | undefined,
    method: "getToken" | "getTokenInfo",
  ): Promise<CacheAnswer> | CacheAnswer {
    if (this.#closing !== undefined) throw this.#closedError();
    // An already aborted signal means the caller no longer wants the token, even a cached one.
    if (options?.abortSignal?.aborted === true) {
      throw new AbortError(undefined, { cause: options.abortSignal.reason });
    }
    const identity = this.#identity;
    // Fast path: one string scope, configured tenant, no claims. Checks stay, allocations go.
    let scopeKey: string;
    let scopeList: string[] | undefined;
    if (typeof scopes === "string" && scopes.trim() !== "") {
      scopeKey = scopes;
    } else {
      scopeList = normalizeScopes(scopes, `${identity.credentialName}.${method}`);
      scopeKey = scopeSetKey(scopeList);
    }
    const cae = options?.enableCae === true;
    const requestedTenant = options?.tenantId;
    // A tenant resolved once resolves the same way again (the policy is fixed at construction):
    // later calls skip the id check and the allow-list, one map lookup instead of three steps.
    let slot =
      requestedTenant === undefined ? this.#defaultTenant : this.#tenants.get(requestedTenant);
    if (slot === undefined) {
      const tenantId =
        requestedTenant === undefined
          ? identity.tenantId
          : resolveTenantId(identity, requestedTenant);
      slot = {
        tenantId,
        partitions: [this.#partition(tenantId, false), this.#partition(tenantId, true)],
      };
      if (requestedTenant === undefined) {
        this.#defaultTenant = slot;
      } else {
        // Bounded: a caller cycling through endless tenants must not grow this without limit.
        if (this.#tenants.size >= 1_000) this.#tenants.clear();
        this.#tenants.set(requestedTenant, slot);
      }
    }
    const tenantId = slot.tenantId;
    const partition = slot.partitions[cae ? 1 : 0];
    const claims =
      options?.claims === undefined || options.claims === "" ? undefined : options.claims;
    // An instrumenter that would not trace this call right now (no SDK registered) costs one
    // boolean check, not a span's worth of attribute building.
    const instrumenter =
      this.services.instrumenter?.isEnabled?.() === false ? undefined : this.services.instrumenter;
    if (claims === undefined && instrumenter === undefined) {
      const hit = this.#engine.lookup(scopeKey, partition);
      if (hit !== undefined) {
        if (this.#sink.has("token:request") || this.#sink.has("token:cache-hit")) {
          this.#reportHit(hit, scopeList ?? [scopeKey], tenantId, cae);
        }
        return hit;
      }
    }
    const request: CacheRequest = {
      key: scopeKey,
      partition,
      scopes: scopeList ?? [scopeKey],
      tenantId,
      cae,
    };
    if (claims !== undefined) request.claims = claims;
    if (instrumenter !== undefined) {
      const span = instrumenter.startSpan(`${identity.credentialName}.${method}`, {
        kind: "internal",
        attributes: {
          "credchain.credential.type": identity.credentialName,
          "credchain.tenant.id": tenantId,
          "credchain.scopes": request.scopes,
          "credchain.cae": cae,
          "credchain.claims.present": claims !== undefined,
        },
        tracingOptions: options?.tracingOptions,
      });
      if (span !== undefined) {
        return instrumenter.withSpan(span, () => this.#traced(span, request, options));
      }
    }
    return this.#answer(request, options);
  }

  async #traced(
    span: InstrumentedSpan,
    request: CacheRequest,
    options: GetTokenOptions | undefined,
  ): Promise<CacheAnswer> {
    try {
      const answer = await this.#answer(request, options);
      span.setAttribute("credchain.cache.result", answer.result);
      return answer;
    } catch (error) {
      span.recordFailure(error);
      throw error;
    } finally {
      span.end();
    }
  }

  #reportHit(answer: CacheAnswer, scopes: readonly string[], tenantId: string, cae: boolean): void {
    const base = this.#eventBase(scopes, tenantId, cae);
    if (this.#sink.has("token:request"))
      this.#sink.emit("token:request", { ...base, claims: false });
    if (this.#sink.has("token:cache-hit")) {
      this.#sink.emit("token:cache-hit", {
        ...base,
        source: "memory",
        refreshing: answer.result === "refresh",
      });
    }
  }

  /** The slow path: claims, a miss, or tracing on. Reports events; applies timeout and abort. */
  async #answer(request: CacheRequest, options: GetTokenOptions | undefined): Promise<CacheAnswer> {
    if (request.claims === undefined) {
      const hit = this.#engine.lookup(request.key, request.partition);
      if (hit !== undefined) {
        if (this.#sink.has("token:request") || this.#sink.has("token:cache-hit")) {
          this.#reportHit(hit, request.scopes, request.tenantId, request.cae);
        }
        return hit;
      }
    }
    const clock = this.services.clock;
    // Durations are measurements, not decisions: a monotonic sub-millisecond timer, immune to
    // wall-clock steps (expiry and back-off still read the injected clock).
    const started = performance.now();
    const base = this.#eventBase(request.scopes, request.tenantId, request.cae);
    if (this.#sink.has("token:request")) {
      this.#sink.emit("token:request", { ...base, claims: request.claims !== undefined });
    }
    const deadline = requestSignal(clock, options?.abortSignal, options?.requestOptions?.timeout);
    try {
      const answer = await this.#engine.acquire(request, deadline.signal);
      if (answer.result === "persistent-hit") {
        if (this.#sink.has("token:cache-hit")) {
          this.#sink.emit("token:cache-hit", { ...base, source: "persistent", refreshing: false });
        }
      }
      if (this.#sink.has("token:acquired")) {
        this.#sink.emit("token:acquired", {
          ...base,
          source: answer.result === "persistent-hit" ? "persistent" : "network",
          durationInMs: performance.now() - started,
          expiresOnTimestamp: answer.token.expiresOnTimestamp,
        });
      }
      return answer;
    } catch (error) {
      if (this.#sink.has("token:error")) {
        this.#sink.emit("token:error", {
          ...base,
          durationInMs: performance.now() - started,
          error,
        });
      }
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  /** What `JSON.stringify` shows: identity only, never a secret. */
  toJSON(): Record<string, string> {
    return {
      credential: this.#identity.credentialName,
      tenantId: this.#identity.tenantId,
      clientId: this.#identity.clientId,
      authorityHost: this.#identity.authorityHost,
    };
  }

  /** What `util.inspect` and `console.log` show: identity only, never a secret. */
  [inspect.custom](): string {
    const { credentialName, tenantId, clientId, authorityHost } = this.#identity;
    return `${credentialName} { tenantId: '${tenantId}', clientId: '${clientId}', authorityHost: '${authorityHost}' }`;
  }
}

import { performance } from "node:perf_hooks";
import { inspect } from "node:util";
import { toAccessTokenInfo, type AccessToken, type AccessTokenInfo } from "../AccessToken.js";
import { checkGetTokenOptions } from "../checkGetTokenOptions.js";
import type { DefaultHttpTransport } from "../http/DefaultHttpTransport.js";
import { isMaterialized } from "../lazyContainer.js";
import type { GetTokenOptions, TokenRequestOptions } from "../GetTokenOptions.js";
import type { SupportsTokenInfo, TokenCredential } from "../TokenCredential.js";
import {
  TokenCacheEngine,
  type CacheAnswer,
  type CacheRequest,
} from "../cache/TokenCacheEngine.js";
import { AbortError } from "../errors/AbortError.js";
import { CredentialUnavailableError } from "../errors/CredentialUnavailableError.js";
import { CredentialEventEmitter } from "../events/CredentialEventEmitter.js";
import { requestSignal } from "../http/requestSignal.js";
import type { InstrumentedSpan } from "../instrumentation/Instrumenter.js";
import { claimsToSend } from "./caeClaims.js";
import type { CredentialIdentity } from "./CredentialIdentity.js";
import type { CredentialOptions } from "./CredentialOptions.js";
import { CredentialReporter, type StoreReport } from "./CredentialReporter.js";
import type { CredentialTokenRequest } from "./CredentialTokenRequest.js";
import { identityToJSON, inspectIdentity } from "./identityView.js";
import { openPersistentStores, type PersistentStores } from "./openPersistentStores.js";
import {
  resolveCredentialOptions,
  type ResolvedCredentialOptions,
} from "./resolveCredentialOptions.js";
import {
  createCredentialPipeline,
  resolveBasicServices,
  type CredentialServices,
} from "./resolveCredentialServices.js";
import { normalizeScopes, scopeSetKey } from "./scopes.js";
import { TenantSlots } from "./TenantSlots.js";

export type { CredentialIdentity } from "./CredentialIdentity.js";
export type {
  CredentialOptions,
  RefreshOptions,
  TokenCachePersistenceOptions,
} from "./CredentialOptions.js";
export type { CredentialServices } from "./resolveCredentialServices.js";

/**
 * Options every credential built on `TokenCredentialBase` accepts.
 * @deprecated Use `CredentialOptions` (the same options, declared once for every credential).
 */
export type TokenCredentialBaseOptions = CredentialOptions;

const tokenOf = (answer: CacheAnswer): AccessToken => answer.token;

/**
 * The machinery every credchain credential shares: argument checks, multi-tenant rules, the token
 * cache engine, timeouts and abort, `getTokenInfo`, `close` and `await using`. Collaborators do
 * the rest: `resolveCredentialOptions` (options), `resolveCredentialServices` (clock, logger,
 * HTTP, instrumenter), `openPersistentStores`, and `CredentialReporter` (events, logs, spans).
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
  readonly #options: ResolvedCredentialOptions;
  readonly #reporter: CredentialReporter;
  readonly #engine: TokenCacheEngine;
  readonly #stores: PersistentStores | undefined;
  #closing: Promise<void> | undefined;
  /** Requested tenant id -> the tenant it resolved to and its partitions (and kept entry maps). */
  readonly #tenants: TenantSlots;
  /** The default transport, when this credential built it (and so closes it). */
  readonly #ownTransport: DefaultHttpTransport | undefined;

  protected constructor(identity: CredentialIdentity, options?: CredentialOptions) {
    const name = identity.credentialName;
    this.#identity = identity;
    const resolved = resolveCredentialOptions(name, options);
    this.#options = resolved;
    // Nothing registered anywhere (no plugin, no container given): no child container to make,
    // and tsyringe is never loaded. Every collaborator is then its default.
    const container = isMaterialized(resolved.container)
      ? resolved.container.createChildContainer()
      : undefined;
    const basics = resolveBasicServices(container);
    const reporter = new CredentialReporter(name, this.events, basics.logger, basics.instrumenter);
    this.#reporter = reporter;
    const { http, ownTransport } = createCredentialPipeline(
      container,
      basics,
      resolved,
      reporter.sink,
    );
    this.#ownTransport = ownTransport;
    this.services = { ...basics, http };
    this.#stores = openPersistentStores(name, container, resolved, { ...basics, reporter });
    const storeReports: Record<"cae" | "nocae", StoreReport> | undefined =
      resolved.cachePersistence === undefined
        ? undefined
        : {
            nocae: reporter.storeReporter(`${resolved.cachePersistence.name}.nocae`),
            cae: reporter.storeReporter(`${resolved.cachePersistence.name}.cae`),
          };
    const stores = this.#stores;

    this.#engine = new TokenCacheEngine({
      clock: basics.clock,
      name,
      // The authority and client id make keys unique across credentials sharing a persistent store.
      keyPrefix: `${identity.authorityHost ?? ""}|${identity.clientId ?? ""}|`,
      acquire: (request, signal, context) =>
        context.background
          ? reporter.traceRefresh(request, () => this.#requestToken(request, signal))
          : this.#requestToken(request, signal),
      refreshOffsetInMs: resolved.refreshOffsetInMs,
      retryIntervalInMs: resolved.retryIntervalInMs,
      acquireTimeoutInMs: resolved.requestTimeoutInMs,
      maxEntries: resolved.maxCachedTokens,
      persistentStore:
        stores === undefined ? undefined : (cae) => (cae ? stores.cae : stores.nocae),
      onRefresh: (request, outcome, error, nextAttemptTimestamp) =>
        reporter.refresh(request, outcome, error, nextAttemptTimestamp),
      onPersistenceError: (request, operation, error) =>
        storeReports?.[request.cae ? "cae" : "nocae"](error, operation),
    });
    this.#tenants = new TenantSlots(this.#engine, identity);
  }

  /**
   * Fetches one token from the network. `request.tenantId` is already resolved and allowed;
   * `request.claims` is what to send (the caller's challenge merged with CAE). Called at most
   * once per cache key at a time; `signal` aborts when nobody waits any more or a deadline passed.
   */
  protected abstract requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken>;

  /** The narrow request a subclass sees: never the engine's key or partition. */
  #requestToken(request: CacheRequest, signal: AbortSignal): Promise<AccessToken> {
    const claims = claimsToSend(request.claims, request.cae);
    const tokenRequest: CredentialTokenRequest = Object.freeze({
      scopes: Object.isFrozen(request.scopes) ? request.scopes : Object.freeze([...request.scopes]),
      tenantId: request.tenantId,
      cae: request.cae,
      ...(claims === undefined ? {} : { claims }),
    });
    return this.requestToken(tokenRequest, signal);
  }

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
    const stores = this.#stores;
    if (stores !== undefined) {
      const name = this.#options.cachePersistence?.name ?? "";
      const results = await Promise.allSettled([stores.cae.close?.(), stores.nocae.close?.()]);
      results.forEach((result, index) => {
        // Closing flushes pending writes; a failure there loses tokens from the persistent cache
        // (not from this process), which is worth a line in the log, not a failed close().
        if (result.status === "rejected") {
          this.#reporter.storeReporter(`${name}.${index === 0 ? "cae" : "nocae"}`)(
            result.reason,
            "close",
          );
        }
      });
    }
    this.#reporter.closed();
  }

  #closedError(): CredentialUnavailableError {
    return new CredentialUnavailableError(
      `${this.#identity.credentialName} is closed; create a new credential to request tokens.`,
    );
  }

  #get(
    scopes: string | string[],
    options: GetTokenOptions | undefined,
    method: "getToken" | "getTokenInfo",
  ): Promise<CacheAnswer> | CacheAnswer {
    if (this.#closing !== undefined) throw this.#closedError();
    const identity = this.#identity;
    // Every call, hit or miss: one comparison when there are no options.
    if (options !== undefined) {
      checkGetTokenOptions(options, identity.credentialName, method);
      // An already aborted signal means the caller no longer wants the token, even a cached one.
      if (options.abortSignal?.aborted === true) {
        throw new AbortError(undefined, { cause: options.abortSignal.reason });
      }
    }
    // Fast path: one string scope, configured tenant, no claims. Checks stay, allocations go.
    let scopeKey: string;
    let scopeList: string[] | undefined;
    if (typeof scopes === "string" && scopes.trim() !== "") {
      scopeKey = scopes;
    } else {
      scopeList = normalizeScopes(scopes, `${identity.credentialName}.${method}`);
      scopeKey = scopeSetKey(scopeList);
    }
    const tenants = this.#tenants;
    const slot = tenants.slotFor(options?.tenantId);
    const tenantId = slot.tenantId;
    const cae = options?.enableCae === true;
    const partition = cae ? slot.cae : slot.nocae;
    const claims =
      options?.claims === undefined || options.claims === "" ? undefined : options.claims;
    const reporter = this.#reporter;
    // An instrumenter that would not trace this call right now (no SDK registered) costs one
    // boolean check, not a span's worth of attribute building.
    const instrumenter = reporter.tracer();
    if (claims === undefined && instrumenter === undefined) {
      const hit = tenants.lookup(slot, cae, scopeKey);
      if (hit !== undefined) {
        if (reporter.wantsHit) {
          reporter.hit({ scopes: scopeList ?? [scopeKey], tenantId, cae }, hit.result);
        }
        return hit;
      }
    }
    const request: CacheRequest = {
      key: scopeKey,
      partition,
      // Frozen: the engine keeps it for refreshes and events hand it out.
      scopes: Object.freeze(scopeList ?? [scopeKey]),
      tenantId,
      cae,
    };
    if (claims !== undefined) request.claims = claims;
    if (instrumenter !== undefined) {
      const span = reporter.startCallSpan(
        instrumenter,
        method,
        request,
        claims !== undefined,
        options?.tracingOptions,
      );
      if (span !== undefined) {
        return reporter.withCallSpan(instrumenter, span, () =>
          this.#traced(span, request, options),
        );
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
      span.setAttribute("credchain.cache.result", "error");
      span.recordFailure(error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** The slow path: claims, a miss, or tracing on. Reports events; applies timeout and abort. */
  async #answer(request: CacheRequest, options: GetTokenOptions | undefined): Promise<CacheAnswer> {
    const reporter = this.#reporter;
    if (request.claims === undefined) {
      const hit = this.#engine.lookup(request.key, request.partition);
      if (hit !== undefined) {
        if (reporter.wantsHit) reporter.hit(request, hit.result);
        return hit;
      }
    }
    // Durations are measurements, not decisions: a monotonic sub-millisecond timer, immune to
    // wall-clock steps (expiry and back-off still read the injected clock).
    const started = performance.now();
    reporter.requested(request, request.claims !== undefined);
    const perCall = options?.requestOptions?.timeout;
    // This caller's own bounds, when it set any. The acquisition itself always has a deadline
    // (requestTimeoutInMs, or this call's longer timeout when it starts the flight): one timer per
    // flight rather than one per caller, so a storm of callers costs no timers.
    const deadline = requestSignal(this.services.clock, options?.abortSignal, perCall);
    try {
      const answer = await this.#engine.acquire(
        request,
        deadline.signal,
        perCall === undefined ? undefined : { timeoutInMs: perCall },
      );
      reporter.answered(
        request,
        answer.result,
        performance.now() - started,
        answer.token.expiresOnTimestamp,
      );
      return answer;
    } catch (error) {
      reporter.failed(request, performance.now() - started, error);
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  /** What `JSON.stringify` shows: identity only, never a secret. */
  toJSON(): Record<string, string> {
    return identityToJSON(this.#identity);
  }

  /** What `util.inspect` and `console.log` show: identity only, never a secret. */
  [inspect.custom](): string {
    return inspectIdentity(this.toJSON());
  }
}

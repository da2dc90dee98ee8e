import { toAccessTokenInfo, type AccessToken, type AccessTokenInfo } from "./AccessToken.js";
import { checkGetTokenOptions } from "./checkGetTokenOptions.js";
import { systemClock, type Clock } from "./Clock.js";
import { rootContainer } from "./container.js";
import { isMaterialized } from "./lazyContainer.js";
import type { GetTokenOptions, TokenRequestOptions } from "./GetTokenOptions.js";
import type { SupportsTokenInfo, TokenCredential } from "./TokenCredential.js";
import { Tokens } from "./Tokens.js";
import { AggregateAuthenticationError } from "./errors/AggregateAuthenticationError.js";
import { CredentialUnavailableError } from "./errors/CredentialUnavailableError.js";
import { ClientAuthenticationError } from "./errors/ClientAuthenticationError.js";
import { hasErrorName } from "./errors/hasErrorName.js";
import { raceAbort } from "./http/abortable.js";
import { requestSignal } from "./http/requestSignal.js";
import type { Instrumenter } from "./instrumentation/Instrumenter.js";

const CHAIN = "ChainedTokenCredential";

function linkName(link: TokenCredential): string {
  return (link as { constructor?: { name?: string } }).constructor?.name || "TokenCredential";
}

/**
 * A traced link's options: without the caller's `tracingContext`, so the link's own span nests
 * under the chain's link span (the active context) instead of jumping to the caller's parent.
 */
function withoutParent(options: GetTokenOptions | undefined): GetTokenOptions | undefined {
  if (options?.tracingOptions?.tracingContext === undefined) return options;
  return { ...options, tracingOptions: { ...options.tracingOptions, tracingContext: undefined } };
}

/**
 * What is wrong with a link's `getToken` result, or `undefined` when it is a usable, unexpired
 * token. A link is any object with a `getToken`, so its answer is checked, not trusted.
 */
function invalidAccessToken(value: unknown, now: number): string | undefined {
  const token = value as Partial<AccessToken> | undefined;
  if (typeof value !== "object" || value === null)
    return `it returned ${typeof value}, not a token`;
  if (typeof token?.token !== "string" || token.token === "") return "it has no string token";
  if (typeof token.expiresOnTimestamp !== "number" || !Number.isFinite(token.expiresOnTimestamp)) {
    return "it has no numeric expiresOnTimestamp";
  }
  if (token.expiresOnTimestamp <= now) return "it had already expired";
  return undefined;
}

/** As `invalidAccessToken`, for the seed's shape (`expiresOn` in seconds). */
function invalidTokenInfo(value: unknown, now: number): string | undefined {
  const info = value as Partial<AccessTokenInfo> | undefined;
  if (typeof value !== "object" || value === null)
    return `it returned ${typeof value}, not a token`;
  if (typeof info?.token !== "string" || info.token === "") return "it has no string token";
  if (typeof info.expiresOn !== "number" || !Number.isFinite(info.expiresOn)) {
    return "it has no numeric expiresOn";
  }
  if (info.expiresOn * 1000 <= now) return "it had already expired";
  return undefined;
}

function hasTokenInfo(link: TokenCredential): link is TokenCredential & SupportsTokenInfo {
  return typeof (link as Partial<SupportsTokenInfo>).getTokenInfo === "function";
}

/**
 * Tries credentials in order and answers with the first token. A link that throws
 * `CredentialUnavailableError` (matched by name) or returns `null` is skipped; any other error
 * stops the chain and is rethrown as it is. When every link is skipped, an
 * `AggregateAuthenticationError` lists each link and what it said. Any object with a
 * `@azure/core-auth` shaped `getToken` can be a link, `@azure/identity` credentials included.
 */
export class ChainedTokenCredential implements TokenCredential, SupportsTokenInfo, AsyncDisposable {
  readonly #links: readonly TokenCredential[];
  readonly #instrumenter: Instrumenter | undefined;
  readonly #clock: Clock;
  #closing: Promise<void> | undefined;

  constructor(...sources: TokenCredential[]) {
    if (sources.length === 0) {
      throw new TypeError(
        "ChainedTokenCredential needs at least one credential, e.g. new ChainedTokenCredential(new EnvironmentCredential(), new ClientSecretCredential(...)).",
      );
    }
    sources.forEach((source, index) => {
      if (typeof (source as Partial<TokenCredential> | undefined)?.getToken !== "function") {
        throw new TypeError(
          `ChainedTokenCredential: source ${index} is not a credential (it has no getToken method).`,
        );
      }
    });
    this.#links = [...sources];
    // The root container exists only once something used it (a plugin): else nothing to resolve.
    const root = isMaterialized(rootContainer) ? rootContainer : undefined;
    this.#instrumenter = root?.isRegistered(Tokens.Instrumenter, true)
      ? root.resolve(Tokens.Instrumenter)
      : undefined;
    this.#clock = root?.isRegistered(Tokens.Clock, true) ? root.resolve(Tokens.Clock) : systemClock;
  }

  /** The first token any link gives, in `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#run("getToken", options, invalidAccessToken, async (link, linkOptions) => {
      const token = await link.getToken(scopes, linkOptions);
      return token === null ? null : token;
    });
  }

  /** The first token any link gives, in the seed's shape (seconds). Uses a link's own `getTokenInfo`. */
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo> {
    return this.#run("getTokenInfo", options, invalidTokenInfo, async (link, linkOptions) => {
      // withoutParent keeps every key of the caller's options, unknown ones included.
      if (hasTokenInfo(link)) return link.getTokenInfo(scopes, linkOptions as TokenRequestOptions);
      const token = await link.getToken(scopes, linkOptions);
      return token === null ? null : toAccessTokenInfo(token);
    });
  }

  /** Closes every link that can be closed. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.allSettled(
      this.#links.map(async (link) => {
        await (link as { close?: () => Promise<void> }).close?.();
      }),
    ).then(() => undefined);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #run<T>(
    method: "getToken" | "getTokenInfo",
    options: GetTokenOptions | undefined,
    invalid: (value: unknown, now: number) => string | undefined,
    ask: (link: TokenCredential, options: GetTokenOptions | undefined) => Promise<T | null>,
  ): Promise<T> {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        `${CHAIN} is closed; create a new chain to request tokens.`,
      );
    }
    if (options !== undefined) checkGetTokenOptions(options, CHAIN, method);
    // The caller's signal and timeout bound the whole chain, whatever each link does with them:
    // a link that ignores them (or hangs) must not hold the caller past either.
    const deadline = requestSignal(
      this.#clock,
      options?.abortSignal,
      options?.requestOptions?.timeout,
    );
    const bounded = async (
      link: TokenCredential,
      linkOptions: GetTokenOptions | undefined,
    ): Promise<T | null> => {
      const value = await raceAbort(ask(link, linkOptions), deadline.signal);
      if (value === null) return null;
      const problem = invalid(value, this.#clock.now());
      if (problem !== undefined) {
        throw new ClientAuthenticationError(
          `${CHAIN}: ${linkName(link)} returned an invalid token (${problem}); the chain stopped there.`,
        );
      }
      return value;
    };
    try {
      return await this.#traceRun(method, options, bounded);
    } finally {
      deadline.dispose();
    }
  }

  #traceRun<T>(
    method: "getToken" | "getTokenInfo",
    options: GetTokenOptions | undefined,
    ask: (link: TokenCredential, options: GetTokenOptions | undefined) => Promise<T | null>,
  ): Promise<T> {
    const instrumenter = this.#instrumenter;
    const chainSpan = instrumenter?.startSpan(`${CHAIN}.${method}`, {
      kind: "internal",
      attributes: { "credchain.credential.type": CHAIN },
      tracingOptions: options?.tracingOptions,
    });
    if (chainSpan === undefined) return this.#walk(ask, options, undefined);
    return instrumenter!.withSpan(chainSpan, async () => {
      try {
        return await this.#walk(ask, options, instrumenter);
      } catch (error) {
        chainSpan.recordFailure(error);
        throw error;
      } finally {
        chainSpan.end();
      }
    });
  }

  /** Tries each link in turn. A plain loop: this is on every call's path, traced or not. */
  async #walk<T>(
    ask: (link: TokenCredential, options: GetTokenOptions | undefined) => Promise<T | null>,
    options: GetTokenOptions | undefined,
    instrumenter: Instrumenter | undefined,
  ): Promise<T> {
    const links = this.#links;
    let skipped: unknown[] | undefined;
    for (let index = 0; index < links.length; index++) {
      const link = links[index] as TokenCredential;
      const span = instrumenter?.startSpan(`${CHAIN}.link`, {
        kind: "internal",
        attributes: {
          "credchain.chain.link.index": index,
          "credchain.chain.link.type": linkName(link),
        },
      });
      let value: T | null;
      try {
        value =
          span === undefined
            ? await ask(link, options)
            : await instrumenter!.withSpan(span, () => ask(link, withoutParent(options)));
      } catch (error) {
        if (!hasErrorName(error, "CredentialUnavailableError")) {
          span?.recordFailure(error);
          span?.end();
          throw error;
        }
        span?.setAttribute("credchain.chain.link.outcome", "unavailable");
        span?.end();
        (skipped ??= []).push(error);
        continue;
      }
      if (value === null) {
        span?.setAttribute("credchain.chain.link.outcome", "unavailable");
        span?.end();
        (skipped ??= []).push(
          new CredentialUnavailableError(`${linkName(link)} returned no token.`),
        );
        continue;
      }
      span?.setAttribute("credchain.chain.link.outcome", "success");
      span?.end();
      return value;
    }
    const lines = (skipped ?? []).map((error, index) => {
      // Matched by name, so the error may come from another realm or copy: not `instanceof Error`.
      const message: unknown = (error as { message?: unknown } | null)?.message;
      const text = typeof message === "string" ? message : String(error);
      return `  ${linkName(links[index] as TokenCredential)}: ${text}`;
    });
    throw new AggregateAuthenticationError(
      skipped ?? [],
      `${CHAIN} authentication failed: no credential in the chain could provide a token.\n${lines.join("\n")}`,
    );
  }
}

import { toAccessTokenInfo, type AccessToken, type AccessTokenInfo } from "./AccessToken.js";
import { rootContainer } from "./container.js";
import { isMaterialized } from "./lazyContainer.js";
import type { GetTokenOptions, TokenRequestOptions } from "./GetTokenOptions.js";
import type { SupportsTokenInfo, TokenCredential } from "./TokenCredential.js";
import { Tokens } from "./Tokens.js";
import { AggregateAuthenticationError } from "./errors/AggregateAuthenticationError.js";
import { CredentialUnavailableError } from "./errors/CredentialUnavailableError.js";
import { hasErrorName } from "./errors/hasErrorName.js";
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
    this.#instrumenter =
      isMaterialized(rootContainer) && rootContainer.isRegistered(Tokens.Instrumenter, true)
        ? rootContainer.resolve(Tokens.Instrumenter)
        : undefined;
  }

  /** The first token any link gives, in `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#run("getToken", options, async (link, linkOptions) => {
      const token = await link.getToken(scopes, linkOptions);
      return token === null ? null : token;
    });
  }

  /** The first token any link gives, in the seed's shape (seconds). Uses a link's own `getTokenInfo`. */
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo> {
    return this.#run("getTokenInfo", options, async (link, linkOptions) => {
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
    ask: (link: TokenCredential, options: GetTokenOptions | undefined) => Promise<T | null>,
  ): Promise<T> {
    if (this.#closing !== undefined) {
      throw new CredentialUnavailableError(
        `${CHAIN} is closed; create a new chain to request tokens.`,
      );
    }
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

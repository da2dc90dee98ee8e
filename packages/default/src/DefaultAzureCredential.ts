import { inspect } from "node:util";
import {
  AggregateAuthenticationError,
  CredentialEventEmitter,
  credentialEvents,
  CredentialUnavailableError,
  hasErrorName,
  toAccessTokenInfo,
  type AccessToken,
  type AccessTokenInfo,
  type CredentialSelectEvent,
  type GetTokenOptions,
  type SupportsTokenInfo,
  type TokenCredential,
  type TokenRequestOptions,
} from "@credchain/core";
import { createLinks, type ChainLink } from "./createLinks.js";
import type { DefaultAzureCredentialOptions } from "./DefaultAzureCredentialOptions.js";
import { injectedEnvironment } from "@credchain/core/credential";
import { internalOptions } from "./internalOptions.js";
import { selectLinks } from "./linkNames.js";

const NAME = "DefaultAzureCredential";

type Ask<T> = (link: ChainLink) => Promise<T>;

function messageOf(error: unknown): string {
  const message: unknown = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/** A link's message without its own name in front, which the line already starts with. */
function reason(link: ChainLink, error: unknown): string {
  const message = messageOf(error);
  for (const prefix of [`${link.name}: `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message;
}

/** Checks a link's answer is a token: a link that answers `null` has nothing to give. */
function present(link: ChainLink): (token: AccessToken | null) => AccessToken {
  return (token) => {
    if (token === null) throw new CredentialUnavailableError(`${link.name} returned no token.`);
    return token;
  };
}

function hasTokenInfo(link: TokenCredential): link is TokenCredential & SupportsTokenInfo {
  return typeof (link as Partial<SupportsTokenInfo>).getTokenInfo === "function";
}

/**
 * The credential for code that runs both in Azure and on a developer's machine: tries
 * `EnvironmentCredential` (a service principal from `AZURE_*` variables), then
 * `WorkloadIdentityCredential` (AKS workload identity), then `ManagedIdentityCredential`, then
 * `AzureCliCredential` (`az login`). `AZURE_TOKEN_CREDENTIALS` narrows the list: `dev` (the CLI
 * only), `prod` (the first three) or one class name; any other value is a `TypeError` here.
 *
 * The first link that answers is remembered: later calls go to it directly, without probing the
 * links before it again, until it says it is unavailable (then the walk starts again). A link
 * that tried and failed (`ClientAuthenticationError`: a managed identity endpoint answering 500,
 * a rejected secret) stops the chain: a broken production identity must not turn into another
 * credential silently. When every link is unavailable: an `AggregateAuthenticationError` with one
 * line per link saying what it looked for and how to enable it. `events` reports the choice as
 * `credential:select`.
 *
 * @example
 * ```ts
 * await using credential = new DefaultAzureCredential();
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 */
export class DefaultAzureCredential implements TokenCredential, SupportsTokenInfo, AsyncDisposable {
  /** `credential:select` when a link is chosen; the links' own events go to their emitters. */
  readonly events: CredentialEventEmitter = new CredentialEventEmitter();
  readonly #links: readonly ChainLink[];
  #selected: ChainLink | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: DefaultAzureCredentialOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${NAME}: options must be an object when given.`);
    }
    const injected = injectedEnvironment(options, internalOptions);
    const env = injected ?? process.env;
    const names = selectLinks(env["AZURE_TOKEN_CREDENTIALS"]);
    this.#links = createLinks(names, options, env, injected !== undefined);
  }

  /** A token from the chosen link, in `@azure/core-auth` shape (milliseconds). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#run((link) => link.credential.getToken(scopes, options).then(present(link)));
  }

  /** A token from the chosen link, in the seed's shape (seconds). */
  getTokenInfo(scopes: string | string[], options?: TokenRequestOptions): Promise<AccessTokenInfo> {
    return this.#run((link) => {
      const credential = link.credential;
      if (hasTokenInfo(credential)) return credential.getTokenInfo(scopes, options);
      return credential
        .getToken(scopes, options)
        .then(present(link))
        .then((token) => toAccessTokenInfo(token));
    });
  }

  /** Closes every link. Idempotent (the same promise every time); later calls reject. */
  close(): Promise<void> {
    this.#closing ??= Promise.allSettled(
      this.#links.map(async (link) => link.credential.close?.()),
    ).then(() => undefined);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Not async, and no await on the way: with a link chosen, a cache hit costs the link's own
   * promise plus one `catch`, which is all the "unavailable from the chosen link" rule needs.
   */
  #run<T>(ask: Ask<T>): Promise<T> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new CredentialUnavailableError(
          `${NAME} is closed; create a new credential to request tokens.`,
        ),
      );
    }
    const selected = this.#selected;
    if (selected === undefined) return this.#walk(ask, undefined);
    let answer: Promise<T>;
    try {
      answer = ask(selected);
    } catch (error) {
      answer = Promise.reject(error);
    }
    return answer.catch((error: unknown) => {
      if (!hasErrorName(error, "CredentialUnavailableError")) throw error;
      // The chosen link can no longer answer (az logged out, a token file gone): choose again.
      if (this.#selected === selected) this.#selected = undefined;
      return this.#walk(ask, { link: selected, error });
    });
  }

  /** Tries each link in order; `known` is a link that just said it is unavailable. */
  async #walk<T>(ask: Ask<T>, known: { link: ChainLink; error: unknown } | undefined): Promise<T> {
    const skipped: Array<{ link: ChainLink; error: unknown }> = [];
    for (const [index, link] of this.#links.entries()) {
      if (link === known?.link) {
        skipped.push(known);
        continue;
      }
      let value: T;
      try {
        value = await ask(link);
      } catch (error) {
        if (!hasErrorName(error, "CredentialUnavailableError")) throw error;
        skipped.push({ link, error });
        continue;
      }
      this.#select(link, index, skipped);
      return value;
    }
    const lines = skipped.map(
      ({ link, error }) =>
        `  ${link.name}: ${reason(link, error)} To enable it: ${link.howToEnable}`,
    );
    throw new AggregateAuthenticationError(
      skipped.map(({ error }) => error),
      `${NAME}: no credential could provide a token. Tried, in order:\n${lines.join("\n")}`,
    );
  }

  #select(
    link: ChainLink,
    index: number,
    skipped: ReadonlyArray<{ link: ChainLink; error: unknown }>,
  ): void {
    if (this.#selected === link) return;
    this.#selected = link;
    const local = this.events.listenerCount("credential:select") > 0;
    const global = credentialEvents.listenerCount("credential:select") > 0;
    if (!local && !global) return;
    const event: CredentialSelectEvent = {
      credential: NAME,
      selected: link.name,
      index,
      skipped: skipped.map(({ link: other, error }) => `${other.name}: ${reason(other, error)}`),
    };
    for (const emitter of [
      local ? this.events : undefined,
      global ? credentialEvents : undefined,
    ]) {
      try {
        emitter?.emit("credential:select", event);
      } catch {
        // A throwing listener must not fail the token request it observes.
      }
    }
  }

  /** What `JSON.stringify` shows: the links and the chosen one. Never a secret. */
  toJSON(): Record<string, unknown> {
    return {
      credential: NAME,
      links: this.#links.map((link) => link.name),
      selected: this.#selected?.name ?? null,
    };
  }

  /** What `util.inspect` and `console.log` show. Never a secret. */
  [inspect.custom](): string {
    return `${NAME} { links: [${this.#links.map((link) => link.name).join(", ")}], selected: ${this.#selected?.name ?? "none"} }`;
  }
}

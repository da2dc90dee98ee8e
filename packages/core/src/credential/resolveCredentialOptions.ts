import type { DependencyContainer } from "tsyringe";
import { rootContainer } from "../container.js";
import type { RetryOptions } from "../http/HttpPipeline.js";
import { checkDuration } from "../time/duration.js";
import type { CredentialOptions, CredentialTlsOptions } from "./CredentialOptions.js";

/** The longest cache name core accepts; which characters are allowed is the backend's rule. */
const MAX_CACHE_NAME_LENGTH = 255;

/** `CredentialOptions` checked, with every default applied: what the base and its collaborators use. */
export interface ResolvedCredentialOptions {
  /** The container the credential's own child container is made from. */
  readonly container: DependencyContainer;
  readonly retryOptions: Required<RetryOptions>;
  readonly refreshOffsetInMs: number;
  readonly retryIntervalInMs: number;
  readonly maxCachedTokens: number;
  /** Present when persistence was asked for. */
  readonly cachePersistence:
    { readonly name: string; readonly allowUnencryptedStorage: boolean } | undefined;
  readonly requestTimeoutInMs: number;
  readonly attemptTimeoutInMs: number;
  /** Passed through for the transport; `undefined` means "from the environment". */
  readonly proxy: string | false | undefined;
  readonly tlsOptions: CredentialTlsOptions | undefined;
  readonly regionalAuthority: string | undefined;
}

/** Defaults, in one place. See `CredentialOptions` for why each is what it is. */
export const credentialDefaults = {
  maxRetries: 3,
  retryDelayInMs: 200,
  maxRetryDelayInMs: 60_000,
  refreshOffsetInMs: 300_000,
  retryIntervalInMs: 30_000,
  maxCachedTokens: 10_000,
  cacheName: "msal.cache",
  requestTimeoutInMs: 60_000,
  attemptTimeoutInMs: 10_000,
} as const;

function optionalObject<T>(owner: string, name: string, value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${owner}: options.${name} must be an object when given.`);
  }
  return value;
}

function isContainer(value: unknown): value is DependencyContainer {
  const candidate = value as Partial<DependencyContainer> | null;
  return (
    typeof value === "object" &&
    candidate !== null &&
    typeof candidate.createChildContainer === "function" &&
    typeof candidate.isRegistered === "function" &&
    typeof candidate.resolve === "function"
  );
}

/**
 * Checks every option all credentials share and applies the defaults: the one place they are
 * read. `owner` (the credential's name) starts every message.
 */
export function resolveCredentialOptions(
  owner: string,
  options: CredentialOptions | undefined,
): ResolvedCredentialOptions {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${owner}: options must be an object when given.`);
  }
  const container = options?.container ?? rootContainer;
  // The root container is ours (and lazy: probing it would load tsyringe for nothing).
  if (container !== rootContainer && !isContainer(container)) {
    throw new TypeError(
      `${owner}: options.container must be a tsyringe DependencyContainer, e.g. rootContainer.createChildContainer() from @credchain/core.`,
    );
  }
  const retry = optionalObject(owner, "retryOptions", options?.retryOptions);
  const maxRetries = retry?.maxRetries ?? credentialDefaults.maxRetries;
  if (typeof maxRetries !== "number" || !(maxRetries >= 0 && maxRetries <= 100)) {
    throw new RangeError(
      `${owner}: retryOptions.maxRetries must be a number of retries from 0 to 100 (default 3).`,
    );
  }
  const refresh = optionalObject(owner, "refreshOptions", options?.refreshOptions);
  const maxCachedTokens = options?.maxCachedTokens ?? credentialDefaults.maxCachedTokens;
  if (!Number.isSafeInteger(maxCachedTokens) || maxCachedTokens < 1) {
    throw new RangeError(
      `${owner}: options.maxCachedTokens must be a positive integer (the most tokens kept in memory; default 10000); got ${typeof maxCachedTokens === "number" ? String(maxCachedTokens) : typeof maxCachedTokens}.`,
    );
  }
  const persistence = optionalObject(
    owner,
    "cachePersistenceOptions",
    options?.cachePersistenceOptions,
  );
  let cachePersistence: ResolvedCredentialOptions["cachePersistence"];
  if (persistence !== undefined) {
    const name = persistence.name ?? credentialDefaults.cacheName;
    if (typeof name !== "string" || name === "" || name.length > MAX_CACHE_NAME_LENGTH) {
      throw new TypeError(
        `${owner}: cachePersistenceOptions.name must be a non-empty string of at most ${MAX_CACHE_NAME_LENGTH} characters, e.g. "my-service".`,
      );
    }
    cachePersistence = {
      name,
      allowUnencryptedStorage: persistence.allowUnencryptedStorage === true,
    };
  }
  const proxy = options?.proxy;
  if (proxy !== undefined && proxy !== false && typeof proxy !== "string") {
    throw new TypeError(
      `${owner}: options.proxy must be a URL string such as "http://proxy.example:8080", or false to ignore the environment.`,
    );
  }
  const regionalAuthority = options?.regionalAuthority;
  if (regionalAuthority !== undefined && typeof regionalAuthority !== "string") {
    throw new TypeError(
      `${owner}: options.regionalAuthority must be a region name such as "westus2".`,
    );
  }
  return {
    container,
    retryOptions: {
      maxRetries: Math.floor(maxRetries),
      retryDelayInMs: checkDuration(
        `${owner}: retryOptions.retryDelayInMs`,
        retry?.retryDelayInMs,
        credentialDefaults.retryDelayInMs,
      ),
      maxRetryDelayInMs: checkDuration(
        `${owner}: retryOptions.maxRetryDelayInMs`,
        retry?.maxRetryDelayInMs,
        credentialDefaults.maxRetryDelayInMs,
      ),
    },
    refreshOffsetInMs: checkDuration(
      `${owner}: refreshOptions.refreshOffsetInMs`,
      refresh?.refreshOffsetInMs,
      credentialDefaults.refreshOffsetInMs,
    ),
    retryIntervalInMs: checkDuration(
      `${owner}: refreshOptions.retryIntervalInMs`,
      refresh?.retryIntervalInMs,
      credentialDefaults.retryIntervalInMs,
    ),
    maxCachedTokens,
    cachePersistence,
    requestTimeoutInMs: checkDuration(
      `${owner}: options.requestTimeoutInMs`,
      options?.requestTimeoutInMs,
      credentialDefaults.requestTimeoutInMs,
      { allowZero: false },
    ),
    attemptTimeoutInMs: checkDuration(
      `${owner}: options.attemptTimeoutInMs`,
      options?.attemptTimeoutInMs,
      credentialDefaults.attemptTimeoutInMs,
      { allowZero: false },
    ),
    proxy,
    tlsOptions: optionalObject(owner, "tlsOptions", options?.tlsOptions),
    regionalAuthority,
  };
}

import { checkIssuerOption, type IssuerOption } from "./issuer.js";
import { rejectUnknownOptions } from "./rejectUnknownOptions.js";
import { DEMO_CLIENT, type RegisteredClient } from "./clients.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_REQUEST_LOG_LIMIT,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
} from "./constants.js";
import type { ExpiresAs, Fault } from "./faults.js";
import type { SigningMode } from "./jwt.js";
import type { ManagedIdentityEmulatorOptions } from "./managedIdentity/managedIdentityOptions.js";

/** Options for {@link startAuthority}. Every field is optional. */
export interface AuthorityOptions {
  /** TCP port on 127.0.0.1; `0` (default) picks a free one. */
  readonly port?: number;
  /**
   * Serve HTTPS with a self-signed certificate generated at start for `127.0.0.1`/`localhost`.
   * Clients trust it through `authority.certificate`. Default `false`.
   */
  readonly https?: boolean;
  /**
   * The `iss` (and token version) of issued tokens: `"v2"` (default), `"v1"`
   * (`https://sts.windows.net/{tenant}/`, `ver: "1.0"`, as Azurite's OAuth mode requires), or a
   * function of the tenant returning the `iss` of v2-shaped tokens.
   */
  readonly issuer?: IssuerOption;
  /** Registered applications. Default: the demo client, valid in every tenant. */
  readonly clients?: readonly RegisteredClient[];
  /**
   * Tenants that exist; a token request for any other tenant fails with AADSTS90002. Default:
   * every tenant, unless all clients list `tenants`, in which case the union of those lists.
   */
  readonly tenants?: readonly string[];
  /** `expires_in` and token lifetime. Default 3599. */
  readonly tokenLifetimeInSeconds?: number;
  /** Lifetime for tokens requested with the CP1 (CAE) capability. Default: `tokenLifetimeInSeconds`. */
  readonly caeTokenLifetimeInSeconds?: number;
  /** Adds `refresh_in` to every successful response. Default: omitted, as Entra does for short-lived tokens. */
  readonly refreshInSeconds?: number;
  /** How lifetimes are written in responses. Default `"number"`. */
  readonly expiresAs?: ExpiresAs;
  /** Token signing. Default `"rs256"`. */
  readonly signing?: SigningMode;
  /** Persistent faults from the start (same as calling `setFaults` right after start). */
  readonly faults?: readonly Fault[];
  /** Clock for token timestamps, error timestamps and the request log, in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Larger request bodies are answered with 413. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Request log entries retained (oldest dropped first). Default 10,000. */
  readonly requestLogLimit?: number;
  /** The managed identity emulators' identities, tenant and secrets (see `authority.managedIdentity`). */
  readonly managedIdentity?: ManagedIdentityEmulatorOptions;
}

/**
 * Every option name, for the unknown-option check. Typed as a record of exactly the keys of
 * {@link AuthorityOptions}, so adding an option without listing it here fails to compile.
 */
const OPTION_NAMES: Readonly<Record<keyof AuthorityOptions, true>> = {
  port: true,
  https: true,
  issuer: true,
  clients: true,
  tenants: true,
  tokenLifetimeInSeconds: true,
  caeTokenLifetimeInSeconds: true,
  refreshInSeconds: true,
  expiresAs: true,
  signing: true,
  faults: true,
  now: true,
  maxBodyBytes: true,
  requestLogLimit: true,
  managedIdentity: true,
};

/** Options with defaults applied and values checked. */
export interface ResolvedOptions {
  readonly port: number;
  readonly https: boolean;
  readonly issuer: IssuerOption;
  readonly clients: readonly RegisteredClient[];
  readonly tenants: readonly string[] | undefined;
  readonly tokenLifetimeInSeconds: number;
  readonly caeTokenLifetimeInSeconds: number;
  readonly refreshInSeconds: number | undefined;
  readonly expiresAs: ExpiresAs;
  readonly signing: SigningMode;
  readonly faults: readonly Fault[];
  readonly now: () => number;
  readonly maxBodyBytes: number;
  readonly requestLogLimit: number;
  readonly managedIdentity: ManagedIdentityEmulatorOptions;
}

function checkInteger(value: number | undefined, name: string, min: number, max: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** Applies defaults; throws on values that would only fail confusingly later. */
export function resolveOptions(options: AuthorityOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("startAuthority options must be an object (or omitted)");
  }
  rejectUnknownOptions(options, OPTION_NAMES, "startAuthority");
  checkInteger(options.port, "port", 0, 65535);
  checkInteger(options.tokenLifetimeInSeconds, "tokenLifetimeInSeconds", 0, 10 * 365 * 86400);
  checkInteger(options.caeTokenLifetimeInSeconds, "caeTokenLifetimeInSeconds", 0, 10 * 365 * 86400);
  checkInteger(options.refreshInSeconds, "refreshInSeconds", 0, 10 * 365 * 86400);
  checkInteger(options.maxBodyBytes, "maxBodyBytes", 1, 64 * 1024 * 1024);
  checkInteger(options.requestLogLimit, "requestLogLimit", 1, 10_000_000);
  if (
    options.expiresAs !== undefined &&
    !["number", "string", "expires_on"].includes(options.expiresAs)
  ) {
    throw new RangeError(`expiresAs must be "number", "string" or "expires_on"`);
  }
  if (options.signing !== undefined && options.signing !== "rs256" && options.signing !== "none") {
    throw new RangeError(`signing must be "rs256" or "none"`);
  }
  const tokenLifetimeInSeconds = options.tokenLifetimeInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  return {
    port: options.port ?? 0,
    https: options.https ?? false,
    issuer: checkIssuerOption(options.issuer) ?? "v2",
    clients: options.clients ?? [DEMO_CLIENT],
    tenants: options.tenants,
    tokenLifetimeInSeconds,
    caeTokenLifetimeInSeconds: options.caeTokenLifetimeInSeconds ?? tokenLifetimeInSeconds,
    refreshInSeconds: options.refreshInSeconds,
    expiresAs: options.expiresAs ?? "number",
    signing: options.signing ?? "rs256",
    faults: options.faults ?? [],
    now: options.now ?? Date.now,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    requestLogLimit: options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT,
    managedIdentity: options.managedIdentity ?? {},
  };
}

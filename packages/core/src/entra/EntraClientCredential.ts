import type { AccessToken } from "../AccessToken.js";
import type { CredentialOptions } from "../credential/CredentialOptions.js";
import type { CredentialTokenRequest } from "../credential/CredentialTokenRequest.js";
import { TokenCredentialBase } from "../credential/TokenCredentialBase.js";
import { credentialDefaults } from "../credential/resolveCredentialOptions.js";
import type { RetryPolicy } from "../http/HttpPipeline.js";
import { VERSION } from "../version.js";
import type { ClientAuthentication } from "./ClientAuthentication.js";
import { EventSink } from "../events/EventSink.js";
import {
  regionalAuthorityHost,
  resolveRegionalPlan,
  type RegionalPlan,
} from "./regionalAuthority.js";
import {
  regionalRetryPolicy,
  withRegionalFallback,
  type RegionalFallback,
} from "./regionalFallback.js";
import { processRegionDetector } from "./RegionDetector.js";
import { requestEntraToken } from "./requestEntraToken.js";
import { resolveEntraIdentity } from "./resolveEntraIdentity.js";

/** The credential package a request is sent on behalf of: `x-client-sku` and `x-client-ver`. */
export interface EntraClientPackage {
  /** E.g. `"credchain.client-secret"`. */
  readonly sku: string;
  readonly version: string;
}

function checkAuthentication(
  credentialName: string,
  authentication: unknown,
): ClientAuthentication {
  const candidate = authentication as Partial<ClientAuthentication> | null | undefined;
  if (
    typeof candidate?.authenticate !== "function" ||
    typeof candidate.secrets !== "function" ||
    (candidate.method !== "client_secret" && candidate.method !== "client_assertion")
  ) {
    throw new TypeError(
      `${credentialName}: authentication must be a ClientAuthentication, e.g. ` +
        "clientSecretAuthentication(secret) or clientAssertionAuthentication(getAssertion).",
    );
  }
  return candidate as ClientAuthentication;
}

/**
 * A confidential client of Microsoft Entra ID: an identity (tenant, client id, authority) plus a
 * `ClientAuthentication` over the shared client credentials token request. Caching, refresh,
 * tenants, events, spans, timeouts and `close()` come from `TokenCredentialBase`.
 *
 * @example
 * ```ts
 * export class ClientSecretCredential extends EntraClientCredential {
 *   constructor(tenantId: string, clientId: string, secret: string, options?: CredentialOptions) {
 *     super("ClientSecretCredential", tenantId, clientId, clientSecretAuthentication(secret), options);
 *   }
 * }
 * ```
 */
export abstract class EntraClientCredential extends TokenCredentialBase {
  // #private: invisible to util.inspect, JSON.stringify, Object.keys and structuredClone.
  readonly #authentication: ClientAuthentication;
  readonly #credentialName: string;
  readonly #clientId: string;
  readonly #authorityHost: string;
  readonly #regional: RegionalPlan;
  /** The regional host's retry rules: one attempt for what falls back to the global host. */
  readonly #regionalRetry: RetryPolicy;
  readonly #sink: EventSink;
  /** With `TryAutoDetect`: the detected region's authority, looked up once per credential. */
  #detected: Promise<{ region: string; authority: string } | undefined> | undefined;
  #skewReported = false;

  /**
   * @param credentialName - The class name users see in messages, events and spans.
   * @param tenantId - The tenant (directory) id or a domain such as `contoso.onmicrosoft.com`.
   * @param clientId - The app registration's application (client) id.
   * @param authentication - How the client proves who it is on each network request.
   * @param options - Options every credential accepts.
   */
  protected constructor(
    credentialName: string,
    tenantId: string,
    clientId: string,
    authentication: ClientAuthentication,
    options?: CredentialOptions,
  ) {
    const identity = resolveEntraIdentity(credentialName, tenantId, clientId, options);
    const regional = resolveRegionalPlan(
      credentialName,
      options?.regionalAuthority,
      identity.authorityHost,
    );
    const checked = checkAuthentication(credentialName, authentication);
    // Every other option is the base's to check and resolve, in one place.
    super(identity, options);
    this.#authentication = checked;
    this.#credentialName = credentialName;
    this.#clientId = clientId;
    this.#authorityHost = identity.authorityHost;
    this.#regional = regional;
    // Checked by the base: a number of retries from 0 to 100.
    this.#regionalRetry = regionalRetryPolicy(
      Math.floor(options?.retryOptions?.maxRetries ?? credentialDefaults.maxRetries),
    );
    this.#sink = new EventSink(this.events);
    if (regional.kind === "global" && regional.warning !== undefined) {
      this.services.logger.warn(`credchain: ${regional.warning}`);
    }
  }

  /**
   * Sent as `x-client-sku` / `x-client-ver`, so Entra's logs tell credential packages apart.
   * Credential packages override it with their own name and version.
   */
  protected get clientPackage(): EntraClientPackage {
    return { sku: "credchain.core", version: VERSION };
  }

  protected override async requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    const regional = await this.#regionalAuthority();
    return withRegionalFallback(
      regional?.authority,
      this.#authorityHost,
      (authorityHost) =>
        this.#request(authorityHost, request, signal, authorityHost === regional?.authority),
      (fallback) => this.#reportFallback(request.tenantId, regional?.region ?? "", fallback),
    );
  }

  /** The regional authority to try first, if any: explicit, or detected once (never for an explicit region). */
  #regionalAuthority(): Promise<{ region: string; authority: string } | undefined> | undefined {
    const plan = this.#regional;
    if (plan.kind === "global") return undefined;
    if (plan.kind === "region")
      return Promise.resolve({ region: plan.region, authority: plan.regionalAuthority });
    this.#detected ??=
      // A host without regional endpoints (a national cloud not in the table, a local authority)
      // needs no region, so IMDS is not even asked.
      regionalAuthorityHost(this.#authorityHost, "probe") === undefined
        ? Promise.resolve(undefined)
        : processRegionDetector(this.services.clock)
            .detect()
            .then((region) => {
              const authority =
                region === undefined
                  ? undefined
                  : regionalAuthorityHost(this.#authorityHost, region);
              return region === undefined || authority === undefined
                ? undefined
                : { region, authority };
            });
    return this.#detected;
  }

  #reportFallback(tenantId: string, region: string, fallback: RegionalFallback): void {
    this.services.logger.warn(
      `credchain: ${this.#credentialName}: the regional authority ${fallback.regionalAuthority} ` +
        `${fallback.statusCode === undefined ? "could not be reached" : `answered ${fallback.statusCode}`}; ` +
        `using ${fallback.authority} for this request.`,
    );
    if (this.#sink.has("token:regional-fallback")) {
      this.#sink.emit("token:regional-fallback", {
        credential: this.#credentialName,
        tenantId,
        region,
        regionalAuthority: fallback.regionalAuthority,
        authority: fallback.authority,
        ...(fallback.statusCode === undefined ? {} : { statusCode: fallback.statusCode }),
        error: fallback.error,
      });
    }
  }

  #request(
    authorityHost: string,
    request: CredentialTokenRequest,
    signal: AbortSignal,
    regional = false,
  ): Promise<AccessToken> {
    const { sku, version } = this.clientPackage;
    return requestEntraToken({
      credentialName: this.#credentialName,
      authorityHost,
      tenantId: request.tenantId,
      clientId: this.#clientId,
      scopes: request.scopes,
      // Already merged with CAE's xms_cc by the base.
      claims: request.claims,
      clientSku: sku,
      clientVersion: version,
      authentication: this.#authentication,
      http: this.services.http,
      clock: this.services.clock,
      signal,
      onClockSkew: (skewInMs) => this.#reportSkew(skewInMs),
      // As MSAL does: a regional host serves non-managed-identity clients only when asked so.
      // Tried once for a network failure or 5xx: the global host is the retry.
      ...(regional ? { query: "allowestsrnonmsi=true", retryPolicy: this.#regionalRetry } : {}),
    });
  }

  /** Once per credential: a skewed clock stays skewed, and one line says all there is to say. */
  #reportSkew(skewInMs: number): void {
    if (this.#skewReported) return;
    this.#skewReported = true;
    const seconds = Math.round(Math.abs(skewInMs) / 1000);
    this.services.logger.warn(
      `credchain: ${this.#credentialName}: the token endpoint's expires_on and expires_in disagree ` +
        `by ${seconds} s, so this machine's clock is about ${seconds} s ${skewInMs > 0 ? "behind" : "ahead of"} ` +
        "the server's. Using expires_in, counted from before the request; correct the clock (NTP) " +
        "to silence this.",
    );
  }
}

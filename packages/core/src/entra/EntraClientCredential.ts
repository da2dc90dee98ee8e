import type { AccessToken } from "../AccessToken.js";
import type { CacheRequest } from "../cache/TokenCacheEngine.js";
import { claimsToSend } from "../credential/caeClaims.js";
import type { CredentialOptions } from "../credential/CredentialOptions.js";
import { TokenCredentialBase } from "../credential/TokenCredentialBase.js";
import { VERSION } from "../version.js";
import type { ClientAuthentication } from "./ClientAuthentication.js";
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
    const { identity, baseOptions } = resolveEntraIdentity(
      credentialName,
      tenantId,
      clientId,
      options,
    );
    const checked = checkAuthentication(credentialName, authentication);
    super(identity, baseOptions);
    this.#authentication = checked;
    this.#credentialName = credentialName;
    this.#clientId = clientId;
    this.#authorityHost = identity.authorityHost;
  }

  /**
   * Sent as `x-client-sku` / `x-client-ver`, so Entra's logs tell credential packages apart.
   * Credential packages override it with their own name and version.
   */
  protected get clientPackage(): EntraClientPackage {
    return { sku: "credchain.core", version: VERSION };
  }

  protected override requestToken(
    request: CacheRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    const { sku, version } = this.clientPackage;
    return requestEntraToken({
      credentialName: this.#credentialName,
      authorityHost: this.#authorityHost,
      tenantId: request.tenantId,
      clientId: this.#clientId,
      scopes: request.scopes,
      claims: claimsToSend(request.claims, request.cae),
      clientSku: sku,
      clientVersion: version,
      authentication: this.#authentication,
      http: this.services.http,
      clock: this.services.clock,
      signal,
      onClockSkew: (skewInMs) => this.#reportSkew(skewInMs),
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

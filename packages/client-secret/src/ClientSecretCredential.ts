import { TokenCredentialBase, type AccessToken } from "@credchain/core";
import type { CredentialTokenRequest } from "@credchain/core/credential";
import { buildTokenRequest } from "./buildTokenRequest.js";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { parseTokenResponse } from "./parseTokenResponse.js";
import { resolveOptions } from "./resolveOptions.js";

/**
 * Authenticates as a Microsoft Entra service principal with a client secret (the OAuth 2.0 client
 * credentials grant), like `azure.identity.aio.ClientSecretCredential`.
 *
 * Tokens are cached in memory (or persistently with `cachePersistenceOptions` and a plugin),
 * concurrent requests for the same token share one network call, and tokens are refreshed in the
 * background before they expire. Usable wherever `@azure/core-auth`'s `TokenCredential` is.
 *
 * @example
 * ```ts
 * await using credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 *
 * Throws `TypeError` at construction for a missing or malformed tenant id, client id, secret,
 * authority or allowed tenant. `getToken` rejects with `ClientAuthenticationError` when Entra
 * refuses or the response is unusable, `CredentialUnavailableError` after `close()`, and
 * `AbortError` / `TimeoutError` for `abortSignal` / `requestOptions.timeout`.
 */
export class ClientSecretCredential extends TokenCredentialBase {
  // A #private field: invisible to util.inspect, JSON.stringify, Object.keys and structuredClone.
  readonly #clientSecret: string;
  readonly #clientId: string;
  readonly #authorityHost: string;

  /**
   * @param tenantId - The service principal's tenant (directory) id, or a domain such as
   *   `contoso.onmicrosoft.com`.
   * @param clientId - The app registration's application (client) id.
   * @param clientSecret - One of the app registration's client secret values.
   * @param options - Authority, multi-tenant, cache, retry and refresh settings.
   */
  constructor(
    tenantId: string,
    clientId: string,
    clientSecret: string,
    options?: ClientSecretCredentialOptions,
  ) {
    const { identity, baseOptions } = resolveOptions(tenantId, clientId, clientSecret, options);
    super(identity, baseOptions);
    this.#clientSecret = clientSecret;
    this.#clientId = identity.clientId as string;
    this.#authorityHost = identity.authorityHost as string;
  }

  protected override async requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    const httpRequest = buildTokenRequest({
      authorityHost: this.#authorityHost,
      tenantId: request.tenantId,
      clientId: this.#clientId,
      clientSecret: this.#clientSecret,
      scopes: request.scopes,
      claims: request.claims,
    });
    // Lifetimes count from before the request went out, so the token is never thought to live
    // longer than it does (retries and latency only make it expire a little early here).
    const requestedAt = this.services.clock.now();
    // The pipeline masks the request body (the secret) in any transport error it passes on.
    const response = await this.services.http.send(httpRequest, signal);
    return parseTokenResponse(response, {
      requestedAt,
      url: httpRequest.url,
      secret: this.#clientSecret,
    });
  }
}

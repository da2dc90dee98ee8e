import {
  clientSecretAuthentication,
  EntraClientCredential,
  type EntraClientPackage,
} from "@credchain/core/credential";
import type { ClientSecretCredentialOptions } from "./ClientSecretCredentialOptions.js";
import { VERSION } from "./version.js";

const CLIENT_PACKAGE: EntraClientPackage = { sku: "credchain.client-secret", version: VERSION };

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
export class ClientSecretCredential extends EntraClientCredential {
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
    // The secret lives only in the authentication's closure: never in a field that is logged.
    super(
      "ClientSecretCredential",
      tenantId,
      clientId,
      clientSecretAuthentication(clientSecret),
      options,
    );
  }

  protected override get clientPackage(): EntraClientPackage {
    return CLIENT_PACKAGE;
  }
}

import {
  clientAssertionAuthentication,
  EntraClientCredential,
  type CredentialOptions,
  type EntraClientPackage,
} from "@credchain/core/credential";
import { CLIENT_PACKAGE } from "./clientPackage.js";

/**
 * Authenticates with a client assertion your code provides: a JWT signed elsewhere (an HSM, Key
 * Vault's sign operation) or a federated token from another identity provider. `getAssertion` is
 * called for each network request, never for a cache hit, with the request's `abortSignal`.
 *
 * @example
 * ```ts
 * const credential = new ClientAssertionCredential(tenantId, clientId, async ({ abortSignal }) =>
 *   (await fetch(oidcTokenUrl, { signal: abortSignal })).text(),
 * );
 * ```
 */
export class ClientAssertionCredential extends EntraClientCredential {
  /**
   * @param tenantId - The service principal's tenant (directory) id, or a domain.
   * @param clientId - The app registration's application (client) id.
   * @param getAssertion - Returns the assertion (a JWT) for one request, or a promise of it.
   * @param options - Options every credential accepts.
   */
  constructor(
    tenantId: string,
    clientId: string,
    getAssertion: (options: { abortSignal?: AbortSignal }) => string | Promise<string>,
    options?: CredentialOptions,
  ) {
    if (typeof getAssertion !== "function") {
      throw new TypeError(
        "ClientAssertionCredential: getAssertion must be a function that returns the client " +
          "assertion (a JWT), or a promise of it.",
      );
    }
    super(
      "ClientAssertionCredential",
      tenantId,
      clientId,
      clientAssertionAuthentication(getAssertion),
      options,
    );
  }

  protected override get clientPackage(): EntraClientPackage {
    return CLIENT_PACKAGE;
  }
}

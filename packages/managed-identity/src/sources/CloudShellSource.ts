import { CredentialUnavailableError, type AccessToken } from "@credchain/core";
import { describeIdentity } from "../ManagedIdentityId.js";
import type { ManagedIdentitySource, SourceRequest } from "../ManagedIdentitySource.js";
import { requestManagedIdentityToken } from "../requestManagedIdentityToken.js";
import { safeEndpoint } from "../safeEndpoint.js";

/**
 * Azure Cloud Shell (`MSI_ENDPOINT`): `POST {MSI_ENDPOINT}` with the form `resource=…` and
 * `Metadata: true`. It issues tokens for the signed-in user only, so a user-assigned id is refused.
 */
export class CloudShellSource implements ManagedIdentitySource {
  readonly name = "Cloud Shell";
  readonly endpoint: string;
  readonly #url: URL;

  constructor(url: URL) {
    this.#url = url;
    this.endpoint = safeEndpoint(url);
  }

  async getToken(request: SourceRequest): Promise<AccessToken> {
    if (request.identity.kind !== "system") {
      throw new CredentialUnavailableError(
        `ManagedIdentityCredential: Cloud Shell (MSI_ENDPOINT) cannot use a user-assigned identity ` +
          `(${describeIdentity(request.identity)}); it only issues tokens for the signed-in user. ` +
          "Create the credential without clientId, resourceId or objectId.",
      );
    }
    return requestManagedIdentityToken(
      this,
      request,
      {
        method: "POST",
        url: this.#url.href,
        headers: { metadata: "true", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ resource: request.resource }).toString(),
      },
      [],
    );
  }
}

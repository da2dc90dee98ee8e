import type { AccessToken } from "@credchain/core";
import type { ManagedIdentitySource, SourceRequest } from "../ManagedIdentitySource.js";
import { requestManagedIdentityToken, tokenUrl } from "../requestManagedIdentityToken.js";
import { safeEndpoint } from "../safeEndpoint.js";
import { addUserAssignedQuery, MI_RES_ID_NAMES } from "../userAssignedQuery.js";

/**
 * App Service, Azure Functions and Container Apps (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`):
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the header secret in
 * `X-IDENTITY-HEADER`. The answer carries `expires_on` only.
 */
export class AppServiceSource implements ManagedIdentitySource {
  readonly name = "App Service";
  readonly endpoint: string;
  readonly #url: URL;
  // A #private field: never part of util.inspect, JSON.stringify or an error.
  readonly #secret: string;

  constructor(url: URL, secret: string) {
    this.#url = url;
    this.endpoint = safeEndpoint(url);
    this.#secret = secret;
  }

  getToken(request: SourceRequest): Promise<AccessToken> {
    const url = tokenUrl(this.#url, "2019-08-01", request.resource);
    addUserAssignedQuery(url, request.identity, MI_RES_ID_NAMES);
    const headers = { "x-identity-header": this.#secret };
    return requestManagedIdentityToken(this, request, { method: "GET", url: url.href, headers }, [
      this.#secret,
    ]);
  }
}

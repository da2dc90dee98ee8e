import type { AccessToken, HttpTransport } from "@credchain/core";
import type { ManagedIdentitySource, SourceRequest } from "../ManagedIdentitySource.js";
import { PinnedCertificateTransport } from "../PinnedCertificateTransport.js";
import { requestManagedIdentityToken, tokenUrl } from "../requestManagedIdentityToken.js";
import { safeEndpoint } from "../safeEndpoint.js";
import { addUserAssignedQuery, MI_RES_ID_NAMES } from "../userAssignedQuery.js";

/**
 * Service Fabric (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER` + `IDENTITY_SERVER_THUMBPRINT`):
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-07-01-preview&resource=…` with the secret in a
 * `secret` header. A user-assigned identity is configured in the cluster; the id is still sent,
 * as the other SDKs do, so the cluster can refuse a mismatch. Over https the endpoint's
 * self-signed certificate is pinned to `IDENTITY_SERVER_THUMBPRINT`.
 */
export class ServiceFabricSource implements ManagedIdentitySource {
  readonly name = "Service Fabric";
  readonly endpoint: string;
  readonly #url: URL;
  readonly #secret: string;
  readonly transport?: HttpTransport;

  constructor(url: URL, secret: string, thumbprint: string) {
    this.#url = url;
    this.endpoint = safeEndpoint(url);
    this.#secret = secret;
    if (url.protocol === "https:") this.transport = new PinnedCertificateTransport(thumbprint);
  }

  getToken(request: SourceRequest): Promise<AccessToken> {
    const url = tokenUrl(this.#url, "2019-07-01-preview", request.resource);
    addUserAssignedQuery(url, request.identity, MI_RES_ID_NAMES);
    return requestManagedIdentityToken(
      this,
      request,
      { method: "GET", url: url.href, headers: { secret: this.#secret } },
      [this.#secret],
    );
  }
}

import {
  ClientAuthenticationError,
  CredentialUnavailableError,
  type AccessToken,
} from "@credchain/core";
import { describeIdentity } from "../ManagedIdentityId.js";
import type { ManagedIdentitySource, SourceRequest } from "../ManagedIdentitySource.js";
import { parseManagedIdentityResponse } from "../parseManagedIdentityResponse.js";
import { readArcSecret } from "../readArcSecret.js";
import { requestManagedIdentityToken, tokenUrl } from "../requestManagedIdentityToken.js";
import { safeEndpoint } from "../safeEndpoint.js";

const BASIC_REALM = /^\s*Basic\s+realm\s*=\s*(?:"([^"]*)"|(\S+))\s*$/i;

/**
 * Azure Arc-enabled servers (`IDENTITY_ENDPOINT` + `IMDS_ENDPOINT`):
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-11-01&resource=…` with `Metadata: true`. The agent
 * answers 401 with `WWW-Authenticate: Basic realm=<file>`, a file only a trusted local user can
 * read; the request is sent again with `Authorization: Basic <its content>`. Arc has the
 * machine's system-assigned identity only.
 */
export class AzureArcSource implements ManagedIdentitySource {
  readonly name = "Azure Arc";
  readonly endpoint: string;
  readonly #url: URL;
  readonly #tokenDirectory: string | undefined;

  constructor(url: URL, tokenDirectory: string | undefined) {
    this.#url = url;
    this.endpoint = safeEndpoint(url);
    this.#tokenDirectory = tokenDirectory;
  }

  async getToken(request: SourceRequest): Promise<AccessToken> {
    if (request.identity.kind !== "system") {
      throw new CredentialUnavailableError(
        `ManagedIdentityCredential: Azure Arc supports only the machine's system-assigned identity, not ` +
          `${describeIdentity(request.identity)}. Create the credential without clientId, resourceId or objectId.`,
      );
    }
    const url = tokenUrl(this.#url, "2019-11-01", request.resource);
    const requestedAt = request.clock.now();
    const challenged = await request.http.send(
      { method: "GET", url: url.href, headers: { metadata: "true" } },
      request.signal,
    );
    if (challenged.status !== 401) {
      return parseManagedIdentityResponse(challenged, {
        source: this.name,
        url: this.endpoint,
        requestedAt,
        identity: request.identity,
        secrets: [],
      });
    }
    const header = challenged.headers["www-authenticate"] ?? "";
    const match = BASIC_REALM.exec(header);
    const realm = match?.[1] ?? match?.[2];
    if (realm === undefined || realm === "") {
      throw new ClientAuthenticationError(
        `ManagedIdentityCredential (Azure Arc): the endpoint ${this.endpoint} answered 401 without a ` +
          '"WWW-Authenticate: Basic realm=<file>" challenge. Check that IDENTITY_ENDPOINT points at the Arc agent.',
        { statusCode: 401 },
      );
    }
    if (this.#tokenDirectory === undefined) {
      throw new CredentialUnavailableError(
        `ManagedIdentityCredential: Azure Arc runs on Linux and Windows only, not on ${process.platform}.`,
      );
    }
    const secret = await readArcSecret(realm, this.#tokenDirectory);
    return requestManagedIdentityToken(
      this,
      request,
      {
        method: "GET",
        url: url.href,
        headers: { metadata: "true", authorization: `Basic ${secret}` },
      },
      [secret],
    );
  }
}

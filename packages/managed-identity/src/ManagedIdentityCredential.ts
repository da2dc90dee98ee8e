import { inspect } from "node:util";
import {
  TokenCredentialBase,
  type AccessToken,
  type CredentialTokenRequest,
} from "@credchain/core";
import type { ManagedIdentityCredentialOptions } from "./ManagedIdentityCredentialOptions.js";
import { describeIdentity, type ManagedIdentityId } from "./ManagedIdentityId.js";
import type { ManagedIdentitySource } from "./ManagedIdentitySource.js";
import { resolveOptions } from "./resolveOptions.js";
import { scopeToResource } from "./scopeToResource.js";

/**
 * Authenticates as the managed identity of the Azure resource this process runs on: App Service,
 * Azure Functions and Container Apps (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), Service Fabric
 * (plus `IDENTITY_SERVER_THUMBPRINT`), Cloud Shell (`MSI_ENDPOINT`), Azure Arc
 * (`IDENTITY_ENDPOINT` + `IMDS_ENDPOINT`), else the VM / AKS Instance Metadata Service (IMDS,
 * `http://169.254.169.254` or `AZURE_POD_IDENTITY_AUTHORITY_HOST`). The environment is read once,
 * at construction.
 *
 * Tokens get the same cache, single flight, background refresh, events and spans as every
 * credchain credential. Exactly one scope per request; `/.default` is stripped to the resource.
 *
 * @example
 * ```ts
 * await using credential = new ManagedIdentityCredential(); // system-assigned
 * const { token } = await credential.getToken("https://vault.azure.net/.default");
 * const userAssigned = new ManagedIdentityCredential({ clientId: "…" });
 * ```
 *
 * Errors: `CredentialUnavailableError` when no managed identity endpoint answers (IMDS probed
 * for 1 s) or the source cannot take the requested kind of identity; `ClientAuthenticationError`
 * when an endpoint answers but fails (a 400 for an unknown identity, a 500 after retries), which
 * stops a chain: a broken production identity must not turn silently into another credential.
 * `TypeError` at construction for malformed ids or endpoint variables.
 */
export class ManagedIdentityCredential extends TokenCredentialBase {
  readonly #source: ManagedIdentitySource;
  readonly #managedIdentityId: ManagedIdentityId;

  /** The system-assigned identity, or a user-assigned one by `clientId`, `resourceId` or `objectId`. */
  constructor(options?: ManagedIdentityCredentialOptions);
  /** A user-assigned identity by its client id. */
  constructor(clientId: string, options?: ManagedIdentityCredentialOptions);
  constructor(
    clientIdOrOptions?: string | ManagedIdentityCredentialOptions,
    options?: ManagedIdentityCredentialOptions,
  ) {
    const resolved = resolveOptions(clientIdOrOptions, options);
    super(resolved.identity, resolved.baseOptions);
    this.#source = resolved.source;
    this.#managedIdentityId = resolved.managedIdentityId;
  }

  protected override async requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    return this.#source.getToken({
      resource: scopeToResource(request.scopes),
      identity: this.#managedIdentityId,
      http: this.services.http,
      clock: this.services.clock,
      logger: this.services.logger,
      signal,
    });
  }

  /** What `JSON.stringify` shows: the source, its endpoint and the identity. Never a secret. */
  override toJSON(): Record<string, string> {
    return {
      credential: "ManagedIdentityCredential",
      source: this.#source.name,
      endpoint: this.#source.endpoint,
      identity: describeIdentity(this.#managedIdentityId),
    };
  }

  /** What `util.inspect` and `console.log` show. Never a secret. */
  override [inspect.custom](): string {
    return (
      `ManagedIdentityCredential { source: '${this.#source.name}', endpoint: '${this.#source.endpoint}', ` +
      `identity: '${describeIdentity(this.#managedIdentityId)}' }`
    );
  }
}

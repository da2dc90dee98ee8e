import type { AccessToken, Clock, HttpPipeline, HttpTransport, Logger } from "@credchain/core";
import type { ManagedIdentityId } from "./ManagedIdentityId.js";

/** What a source gets for one token request. */
export interface SourceRequest {
  /** The scope minus `/.default`. */
  readonly resource: string;
  readonly identity: ManagedIdentityId;
  readonly http: HttpPipeline;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** One way of getting a managed identity token: one per platform, chosen from the environment. */
export interface ManagedIdentitySource {
  /** A display name for messages, e.g. `"App Service"`. */
  readonly name: string;
  /** The endpoint without query: for identity, logs and messages. Never a secret. */
  readonly endpoint: string;
  /** A transport this source must be reached through (Service Fabric's pinned certificate). */
  readonly transport?: HttpTransport;
  getToken(request: SourceRequest): Promise<AccessToken>;
}

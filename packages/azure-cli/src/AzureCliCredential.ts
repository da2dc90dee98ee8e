import { inspect } from "node:util";
import {
  TokenCredentialBase,
  type AccessToken,
  type CredentialTokenRequest,
} from "@credchain/core";
import { azArguments, resourceFor, tenantArgument } from "./azArguments.js";
import type { AzureCliCredentialOptions } from "./AzureCliCredentialOptions.js";
import { azFailure } from "./azFailure.js";
import { parseAzOutput } from "./parseAzOutput.js";
import { resolveOptions } from "./resolveOptions.js";
import { runAz } from "./runAz.js";

/**
 * Authenticates as the user signed in to the Azure CLI: runs
 * `az account get-access-token --output json --resource <resource> [--tenant <tenant>]` (no
 * shell; the `az` on `PATH`). For development machines; tokens are cached, shared by concurrent
 * callers and refreshed early like every credchain credential's, so `az` runs once per resource.
 *
 * @example
 * ```ts
 * // after `az login`
 * const credential = new AzureCliCredential();
 * const { token } = await credential.getToken("https://management.azure.com/.default");
 * ```
 *
 * `CredentialUnavailableError` (a chain moves on) when az is not installed, not signed in, not
 * signed in to the tenant, or does not answer within `processTimeoutInMs`; each says what to
 * run. `ClientAuthenticationError` for any other az failure. `TypeError` for a scope or tenant
 * az could misread, before anything runs.
 */
export class AzureCliCredential extends TokenCredentialBase {
  readonly #timeoutInMs: number;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #tenantId: string;

  constructor(options?: AzureCliCredentialOptions) {
    const resolved = resolveOptions(options);
    super(resolved.identity, resolved.baseOptions);
    this.#timeoutInMs = resolved.processTimeoutInMs;
    this.#env = resolved.env;
    this.#tenantId = resolved.identity.tenantId ?? "";
  }

  protected override async requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    const resource = resourceFor(request.scopes);
    const tenant =
      request.tenantId === "" ? "" : tenantArgument(request.tenantId, "options.tenantId");
    const result = await runAz(azArguments(resource, tenant), {
      env: this.#env,
      clock: this.services.clock,
      timeoutInMs: this.#timeoutInMs,
      signal,
    });
    if (result.outcome !== "exited" || result.exitCode !== 0) {
      throw azFailure(result, tenant, this.#timeoutInMs);
    }
    return parseAzOutput(result.stdout, this.services.clock.now());
  }

  /** What `JSON.stringify` shows: the tenant, if one is configured. Never a token. */
  override toJSON(): Record<string, string> {
    return this.#tenantId === ""
      ? { credential: "AzureCliCredential" }
      : { credential: "AzureCliCredential", tenantId: this.#tenantId };
  }

  /** What `util.inspect` and `console.log` show. Never a token. */
  override [inspect.custom](): string {
    return this.#tenantId === ""
      ? "AzureCliCredential { tenant: az's default }"
      : `AzureCliCredential { tenantId: '${this.#tenantId}' }`;
  }
}

import {
  ClientAuthenticationError,
  TokenCredentialBase,
  type AccessToken,
  type CredentialOptions,
  type CredentialTokenRequest,
} from "../../src/index.js";

/** Answers one acquisition instead of the network; `call` counts from 1. */
export type ScriptedAcquire = (
  request: CredentialTokenRequest,
  signal: AbortSignal,
  call: number,
) => AccessToken | Promise<AccessToken>;

export interface TestCredentialOptions extends CredentialOptions {
  /** The token endpoint's origin, e.g. a `startTestServer().url`. Default `http://127.0.0.1:9`. */
  authorityHost?: string;
  tenantId?: string;
  clientId?: string;
  additionallyAllowedTenants?: string[];
  /** When set, tokens come from here and no HTTP request is sent. */
  acquire?: ScriptedAcquire;
}

/** What the test credential sends as its secret; tests check that it never leaks. */
export const TEST_CLIENT_SECRET = "s3cr3t-client-secret-value";

/**
 * The smallest real credential: a `TokenCredentialBase` whose `requestToken` posts a
 * client-credentials form through `services.http` (so retries, abort and events are the real
 * ones), or asks a scripted function. It counts every acquisition.
 */
export class TestCredential extends TokenCredentialBase {
  /** How many times the base asked for a token. */
  calls = 0;
  /** Every request the base passed to `requestToken`, in order. */
  readonly requests: CredentialTokenRequest[] = [];
  /** The abort signal of every acquisition, in order. */
  readonly signals: AbortSignal[] = [];
  readonly #secret = TEST_CLIENT_SECRET;
  readonly #authorityHost: string;
  readonly #clientId: string;
  readonly #acquire: ScriptedAcquire | undefined;

  constructor(options: TestCredentialOptions = {}) {
    const authorityHost = options.authorityHost ?? "http://127.0.0.1:9";
    const clientId = options.clientId ?? "client-id";
    super(
      {
        credentialName: "TestCredential",
        authorityHost,
        clientId,
        tenantId: options.tenantId ?? "tenant-a",
        additionallyAllowedTenants: options.additionallyAllowedTenants ?? [],
        disableMultiTenantAuth: false,
      },
      options,
    );
    this.#authorityHost = authorityHost;
    this.#clientId = clientId;
    this.#acquire = options.acquire;
  }

  protected override async requestToken(
    request: CredentialTokenRequest,
    signal: AbortSignal,
  ): Promise<AccessToken> {
    this.calls++;
    this.requests.push(request);
    this.signals.push(signal);
    if (this.#acquire !== undefined) return this.#acquire(request, signal, this.calls);

    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.#clientId,
      client_secret: this.#secret,
      scope: request.scopes.join(" "),
    });
    if (request.claims !== undefined) form.set("claims", request.claims);
    const response = await this.services.http.send(
      {
        method: "POST",
        // The query string carries a secret-looking value: events and spans must drop it.
        url: `${this.#authorityHost}/${request.tenantId}/oauth2/v2.0/token?client_secret=${this.#secret}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      },
      signal,
    );
    if (response.status !== 200) {
      throw new ClientAuthenticationError(`The token endpoint answered ${response.status}.`, {
        statusCode: response.status,
      });
    }
    const body = JSON.parse(response.body) as {
      access_token: string;
      expires_in: number;
      refresh_in?: number;
    };
    const now = this.services.clock.now();
    const token: AccessToken = {
      token: body.access_token,
      expiresOnTimestamp: now + body.expires_in * 1000,
      tokenType: "Bearer",
    };
    if (body.refresh_in !== undefined) token.refreshAfterTimestamp = now + body.refresh_in * 1000;
    return token;
  }
}

// Contract 1 (issue 9's architecture step): what TokenCredentialBase hands a credential author.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  TokenCredentialBase,
  resolveCredentialOptions,
  type AccessToken,
  type CredentialOptions,
  type CredentialTokenRequest,
} from "../src/credential.js";
import { ManualClock } from "../src/index.js";
import { testContainer } from "./support/testContainer.js";

/** A credential with no authority, client id or tenant policy: managed identity's shape. */
class NoAuthorityCredential extends TokenCredentialBase {
  readonly requests: CredentialTokenRequest[] = [];
  constructor(options?: CredentialOptions) {
    super({ credentialName: "NoAuthorityCredential" }, options);
  }
  protected override async requestToken(request: CredentialTokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    return {
      token: `t${this.requests.length}`,
      expiresOnTimestamp: this.services.clock.now() + 3_600_000,
    };
  }
}

describe("the credential author contract", () => {
  it("requestToken gets scopes, tenant, claims merged with CAE and cae; never the engine's key or partition", async () => {
    const clock = new ManualClock();
    const credential = new NoAuthorityCredential({ container: testContainer({ clock }) });
    await credential.getToken(["b", "a"], { enableCae: true, claims: '{"id_token":{}}' });
    const [request] = credential.requests;
    expect(request).toEqual({
      scopes: ["b", "a"],
      tenantId: "",
      cae: true,
      claims: '{"id_token":{},"access_token":{"xms_cc":{"values":["CP1"]}}}',
    });
    expect(Object.keys(request!)).not.toContain("key");
    expect(Object.keys(request!)).not.toContain("partition");
    expect(Object.isFrozen(request)).toBe(true);
    expect(Object.isFrozen(request!.scopes)).toBe(true);
    await credential.close();
  });

  it("without a tenant policy, the caller's tenant is passed through (checked), else an empty one", async () => {
    const credential = new NoAuthorityCredential();
    await credential.getToken("s", { tenantId: "contoso.onmicrosoft.com" });
    await credential.getToken("s");
    expect(credential.requests.map((r) => r.tenantId)).toEqual(["contoso.onmicrosoft.com", ""]);
    await expect(credential.getToken("s", { tenantId: "../x" })).rejects.toBeInstanceOf(TypeError);
    expect(JSON.stringify(credential)).toBe('{"credential":"NoAuthorityCredential"}');
    expect(inspect(credential)).toBe("NoAuthorityCredential {}");
    await credential.close();
  });

  it("resolveCredentialOptions applies every default in one place and passes transport options through", () => {
    const resolved = resolveCredentialOptions("X", {
      proxy: false,
      tlsOptions: { ca: "PEM" },
      regionalAuthority: "westus2",
    });
    expect(resolved).toMatchObject({
      retryOptions: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 60_000 },
      refreshOffsetInMs: 300_000,
      retryIntervalInMs: 30_000,
      maxCachedTokens: 10_000,
      cachePersistence: undefined,
      requestTimeoutInMs: 60_000,
      attemptTimeoutInMs: 10_000,
      proxy: false,
      tlsOptions: { ca: "PEM" },
      regionalAuthority: "westus2",
    });
    expect(() => resolveCredentialOptions("X", { proxy: 8080 as unknown as string })).toThrow(
      /X: options\.proxy must be a URL string/,
    );
  });
});

import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  clientAssertionAuthentication,
  clientSecretAuthentication,
  EntraClientCredential,
  JWT_BEARER_ASSERTION_TYPE,
  type ClientAuthentication,
  type ClientAuthenticationContext,
  type CredentialOptions,
  type EntraClientPackage,
} from "../src/credential.js";
import { ManualClock } from "../src/testing.js";
import { startTestServer, tokenReply, type TestServer } from "./support/testServer.js";
import { testContainer } from "./support/testContainer.js";

const GRAPH = "https://graph.microsoft.com/.default";

/** A credential as a package would write one: a name and an authentication, nothing else. */
class AssertionCredential extends EntraClientCredential {
  constructor(getAssertion: () => string | Promise<string>, options?: CredentialOptions) {
    super(
      "AssertionCredential",
      "tenant",
      "client-id",
      clientAssertionAuthentication(getAssertion),
      options,
    );
  }
}

class PlainCredential extends EntraClientCredential {
  constructor(authentication: ClientAuthentication, options?: CredentialOptions) {
    super("PlainCredential", "tenant", "client-id", authentication, options);
  }
}

class PackagedCredential extends EntraClientCredential {
  constructor(options?: CredentialOptions) {
    super(
      "PackagedCredential",
      "tenant",
      "client-id",
      clientSecretAuthentication("s3cret"),
      options,
    );
  }
  protected override get clientPackage(): EntraClientPackage {
    return { sku: "credchain.packaged", version: "9.9.9" };
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serving(...replies: Parameters<typeof startTestServer>): Promise<TestServer> {
  server = await startTestServer(...replies);
  return server;
}

describe("clientAssertionAuthentication over the shared token request", () => {
  it("sends the assertion as a JWT bearer client assertion, asked once per network request and never for a cache hit", async () => {
    const { url, requests } = await serving();
    let calls = 0;
    const credential = new AssertionCredential(() => `assertion-${++calls}`, { authority: url });
    await credential.getToken(GRAPH);
    await credential.getToken(GRAPH); // cache hit
    await credential.getToken("https://vault.azure.net/.default");
    expect(calls).toBe(2);
    const forms = requests.map((request) => new URLSearchParams(request.body));
    expect(forms.map((form) => form.get("client_assertion"))).toEqual([
      "assertion-1",
      "assertion-2",
    ]);
    expect(forms[0]?.get("client_assertion_type")).toBe(JWT_BEARER_ASSERTION_TYPE);
    expect(forms[0]?.has("client_secret")).toBe(false);
    expect(forms[0]?.get("client_id")).toBe("client-id");
  });

  it("hands getAssertion the request's abort signal and the strategy the token URL, client id and clock", async () => {
    const { url } = await serving();
    const clock = new ManualClock();
    const seen: ClientAuthenticationContext[] = [];
    const authentication: ClientAuthentication = {
      method: "client_secret",
      authenticate(context, form) {
        seen.push(context);
        form.set("client_secret", "x");
      },
      secrets: () => ["x"],
    };
    await new PlainCredential(authentication, {
      authority: url,
      container: testContainer({ clock }),
    }).getToken(GRAPH);
    expect(seen[0]?.tokenEndpoint).toBe(`${url}/tenant/oauth2/v2.0/token`);
    expect(seen[0]?.clientId).toBe("client-id");
    expect(seen[0]?.clock).toBe(clock);
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);

    const controller = new AbortController();
    const credential = new AssertionCredential(
      () =>
        new Promise<string>(() => {
          // Never resolves: only the caller's abort ends it.
        }),
      { authority: url },
    );
    const pending = credential.getToken(GRAPH, { abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails the request, naming what getAssertion must return, when it returns no string", async () => {
    const { url, requests } = await serving();
    const credential = new AssertionCredential(() => 42 as unknown as string, { authority: url });
    await expect(credential.getToken(GRAPH)).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringMatching(
        /getAssertion returned number: it must return the client assertion/,
      ),
    });
    expect(requests).toHaveLength(0);
  });

  it("masks the assertion wherever the server echoes it, and names the credential that used it", async () => {
    const assertion = "eyNotAJwt.assertion-value_1";
    const { url } = await serving((request) => ({
      status: 401,
      json: {
        error: "invalid_client",
        error_description: `AADSTS700027: bad assertion ${new URLSearchParams(request.body).get("client_assertion") ?? ""} in ${request.body}`,
        error_codes: [700027],
      },
    }));
    const credential = new AssertionCredential(() => assertion, { authority: url });
    const error = (await credential.getToken(GRAPH).catch((e: unknown) => e)) as Error & {
      errorCodes?: number[];
    };
    expect(error.message).toMatch(
      /^AssertionCredential authentication failed: .* 401 invalid_client: AADSTS700027/,
    );
    expect(error.errorCodes).toEqual([700027]);
    expect(
      error.message + JSON.stringify(error.cause) + inspect(error, { depth: 9 }),
    ).not.toContain("assertion-value");
  });
});

describe("EntraClientCredential", () => {
  it("names the credential in construction errors, never another one", () => {
    expect(
      () => new AssertionCredential(() => "a", { authority: "http://example.com" }),
    ).toThrowError(
      /^AssertionCredential: options\.authority "http:\/\/example\.com" uses plain http/,
    );
    expect(() => new PlainCredential({} as ClientAuthentication)).toThrowError(
      /^PlainCredential: authentication must be a ClientAuthentication/,
    );
    expect(() => clientSecretAuthentication("")).toThrowError(TypeError);
    expect(() => clientAssertionAuthentication("jwt" as never)).toThrowError(
      /getAssertion must be a function/,
    );
  });

  it("sends the credential package as x-client-sku / x-client-ver: core's unless the package says", async () => {
    const { url, requests } = await serving();
    await new PlainCredential(clientSecretAuthentication("s"), { authority: url }).getToken(GRAPH);
    await new PackagedCredential({ authority: url }).getToken(GRAPH);
    expect(requests.map((r) => r.headers["x-client-sku"])).toEqual([
      "credchain.core",
      "credchain.packaged",
    ]);
    expect(requests[1]?.headers["x-client-ver"]).toBe("9.9.9");
  });

  it("shows identity only in inspect and JSON: no secret, no authentication", async () => {
    const { url } = await serving(() => tokenReply("t"));
    const credential = new PackagedCredential({ authority: url });
    await credential.getToken(GRAPH);
    for (const view of [
      inspect(credential, { showHidden: true, depth: 9 }),
      JSON.stringify(credential),
    ]) {
      expect(view).not.toContain("s3cret");
    }
    expect(credential.toJSON()).toEqual({
      credential: "PackagedCredential",
      tenantId: "tenant",
      clientId: "client-id",
      authorityHost: url,
    });
  });
});

// Regression tests for issue 8 items 8 and 11: bad call options are refused on every call, hit or
// miss, before anything is sent.
import { afterEach, describe, expect, it } from "vitest";
import type { GetTokenOptions, TokenRequestOptions } from "../src/index.js";
import { TestCredential } from "./support/TestCredential.js";
import { startTestServer, type TestServer } from "./support/testServer.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const bogus = (options: Record<string, unknown>) => options as GetTokenOptions;

describe("claims that are not a string (item 8)", () => {
  it.each([[null], [42], [{}], [true], [[]]])(
    "claims %j is a TypeError and sends no request",
    async (claims) => {
      server = await startTestServer();
      const credential = new TestCredential({ authorityHost: server.url });
      await expect(credential.getToken("scope", bogus({ claims }))).rejects.toBeInstanceOf(
        TypeError,
      );
      expect(server.count).toBe(0);
      // Nothing was cached under the claims-free key either.
      await credential.getToken("scope");
      expect(server.requests.map((r) => new URLSearchParams(r.body).get("claims"))).toEqual([null]);
      await credential.close();
    },
  );
});

describe("validation does not depend on cache state (item 11)", () => {
  it.each([
    ["abortSignal {}", bogus({ abortSignal: {} }), TypeError],
    ["abortSignal null", bogus({ abortSignal: null }), TypeError],
    ["timeout NaN", { requestOptions: { timeout: NaN } }, RangeError],
    ["timeout -1", { requestOptions: { timeout: -1 } }, RangeError],
    ["timeout 0", { requestOptions: { timeout: 0 } }, RangeError],
    ["requestOptions 5", bogus({ requestOptions: 5 }), TypeError],
    ["tenantId 42", bogus({ tenantId: 42 }), TypeError],
    ["enableCae 'yes'", bogus({ enableCae: "yes" }), TypeError],
  ])("%s is refused on a cache hit as on a miss", async (_, options, type) => {
    server = await startTestServer();
    const credential = new TestCredential({ authorityHost: server.url });
    await expect(credential.getToken("scope", options)).rejects.toBeInstanceOf(type);
    await credential.getToken("scope"); // now cached
    await expect(credential.getToken("scope", options)).rejects.toBeInstanceOf(type);
    await expect(
      credential.getTokenInfo("scope", options as TokenRequestOptions),
    ).rejects.toBeInstanceOf(type);
    expect(server.count).toBe(1);
    await credential.close();
  });
});

// Type-level contract, checked by `tsc -p tsconfig.check.json` (and at runtime where it can be):
// credchain credentials go into Azure SDK clients, and @azure/core-auth credentials go into chains.
import {
  isTokenCredential,
  type AccessToken as CoreAuthAccessToken,
  type TokenCredential as CoreAuthTokenCredential,
} from "@azure/core-auth";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ChainedTokenCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from "../src/index.js";
import { TestCredential } from "./support/TestCredential.js";

const scripted = () =>
  new TestCredential({
    acquire: () => ({ token: "t", expiresOnTimestamp: Date.UTC(2100, 0, 1) }),
  });

describe("structural compatibility with @azure/core-auth", () => {
  it("a credchain credential is a core-auth TokenCredential", async () => {
    const credential: CoreAuthTokenCredential = scripted();
    const chain: CoreAuthTokenCredential = new ChainedTokenCredential(scripted());
    expectTypeOf<TestCredential>().toExtend<CoreAuthTokenCredential>();
    expectTypeOf<ChainedTokenCredential>().toExtend<CoreAuthTokenCredential>();
    expectTypeOf<AccessToken>().toExtend<CoreAuthAccessToken>();

    expect(isTokenCredential(credential)).toBe(true);
    expect(isTokenCredential(chain)).toBe(true);
    const token: CoreAuthAccessToken | null = await chain.getToken("scope");
    expect(token).toMatchObject({ token: "t", tokenType: "Bearer" });
  });

  it("a core-auth TokenCredential can be a chain link", async () => {
    const foreign: CoreAuthTokenCredential = {
      getToken: async () => ({ token: "core-auth", expiresOnTimestamp: 4_102_444_800_000 }),
    };
    expectTypeOf<CoreAuthTokenCredential>().toExtend<TokenCredential>();
    expectTypeOf<CoreAuthAccessToken>().toExtend<AccessToken>();
    const chain = new ChainedTokenCredential(foreign, scripted());
    await expect(chain.getToken("scope")).resolves.toEqual({
      token: "core-auth",
      expiresOnTimestamp: 4_102_444_800_000,
    });
  });

  it("accepts the options an Azure SDK client passes", async () => {
    const options: GetTokenOptions = {
      abortSignal: new AbortController().signal,
      requestOptions: { timeout: 1000 },
      tracingOptions: { tracingContext: undefined },
      claims: undefined,
      enableCae: false,
      tenantId: undefined,
    };
    await expect(scripted().getToken("scope", options)).resolves.toMatchObject({ token: "t" });
  });
});

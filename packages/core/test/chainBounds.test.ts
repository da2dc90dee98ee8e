// Regression tests for issue 8 item 10: the chain checks what links return, and the caller's
// abortSignal and requestOptions.timeout bound the whole chain call.
import { afterEach, describe, expect, it } from "vitest";
import {
  ChainedTokenCredential,
  ManualClock,
  Tokens,
  usePlugin,
  type AccessToken,
  type TokenCredential,
} from "../src/index.js";
import { TestCredential } from "./support/TestCredential.js";
import { startTestServer, type TestServer } from "./support/testServer.js";
import { until } from "./support/until.js";

let server: TestServer | undefined;
let undo: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  undo?.();
  undo = undefined;
});

class MalformedLink implements TokenCredential {
  constructor(readonly answer: unknown) {}
  async getToken(): Promise<AccessToken | null> {
    return this.answer as AccessToken;
  }
}

class HangingLink implements TokenCredential {
  calls = 0;
  getToken(): Promise<AccessToken | null> {
    this.calls++;
    return new Promise(() => {}); // ignores every signal
  }
}

describe("malformed link results", () => {
  it.each([
    ["undefined", undefined],
    ["{}", {}],
    ["a numeric token", { token: 42, expiresOnTimestamp: Date.now() + 3_600_000 }],
    ["no expiry", { token: "t" }],
    ["an expired token", { token: "t", expiresOnTimestamp: Date.now() - 1_000 }],
  ])("a link returning %s is an error naming the link, not a success", async (_, answer) => {
    const chain = new ChainedTokenCredential(new MalformedLink(answer));
    await expect(chain.getToken("scope")).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("MalformedLink returned an invalid token"),
    });
  });

  it("getTokenInfo checks a link's own getTokenInfo answer too", async () => {
    const link = {
      getToken: async () => null,
      getTokenInfo: async () => ({ token: "t", expiresOn: 0, tokenType: "Bearer" }),
    };
    await expect(new ChainedTokenCredential(link).getTokenInfo("scope")).rejects.toThrow(
      /already expired/,
    );
  });
});

describe("the caller's bounds cover the whole chain", () => {
  it("a hanging link does not ignore the caller's abortSignal", async () => {
    const hanging = new HangingLink();
    const chain = new ChainedTokenCredential(hanging);
    const controller = new AbortController();
    const pending = chain.getToken("scope", { abortSignal: controller.signal });
    await until(() => hanging.calls === 1, "the link to be asked");
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("a hanging link does not ignore the caller's requestOptions.timeout", async () => {
    const clock = new ManualClock();
    undo = usePlugin({
      name: "test-clock",
      register: (container) => container.register(Tokens.Clock, { useValue: clock }),
    });
    const hanging = new HangingLink();
    const chain = new ChainedTokenCredential(hanging);
    const pending = chain.getToken("scope", { requestOptions: { timeout: 5_000 } });
    await until(() => hanging.calls === 1, "the link to be asked");
    clock.advance(5_000);
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("a credential link that hangs on the network is bounded by the chain's timeout", async () => {
    server = await startTestServer(() => "hold");
    const clock = new ManualClock();
    undo = usePlugin({
      name: "test-clock",
      register: (container) => container.register(Tokens.Clock, { useValue: clock }),
    });
    const link = new TestCredential({ authorityHost: server.url });
    const chain = new ChainedTokenCredential(link);
    const pending = chain.getToken("scope", { requestOptions: { timeout: 2_000 } });
    await until(() => server!.count === 1, "the request");
    clock.advance(2_000);
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
    await link.close();
  });

  it("bad call options are refused by the chain before any link is asked", async () => {
    const hanging = new HangingLink();
    const chain = new ChainedTokenCredential(hanging);
    await expect(
      chain.getToken("scope", { abortSignal: {} as AbortSignal }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(hanging.calls).toBe(0);
  });
});

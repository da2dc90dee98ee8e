// Regression tests for issue 8 item 5 (the engine half): an expired token is never served as valid.
import { afterEach, describe, expect, it } from "vitest";
import { ChainedTokenCredential, ManualClock } from "../src/index.js";
import { TestCredential } from "./support/TestCredential.js";
import { testContainer } from "./support/testContainer.js";
import { startTestServer, tokenReply, type TestServer } from "./support/testServer.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("already expired tokens", () => {
  it("expires_in 0 is an error, not a success, and is never cached", async () => {
    server = await startTestServer((_, index) =>
      index === 0 ? tokenReply("dead", 0) : tokenReply("alive"),
    );
    const clock = new ManualClock();
    const credential = new TestCredential({
      authorityHost: server.url,
      container: testContainer({ clock }),
    });
    await expect(credential.getToken("scope")).rejects.toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("already expired"),
    });
    expect((await credential.getToken("scope")).token).toBe("alive");
    expect(server.count).toBe(2);
    await credential.close();
  });

  it("a token whose lifetime ran out in transit is not served", async () => {
    const clock = new ManualClock();
    const credential = new TestCredential({
      container: testContainer({ clock }),
      acquire: () => {
        const token = { token: "late", expiresOnTimestamp: clock.now() + 1_000 };
        clock.advance(2_000); // the answer took longer than the token lives
        return token;
      },
    });
    await expect(credential.getToken("scope")).rejects.toThrow(/already expired/);
    await credential.close();
  });

  it("the chain does not return a link's expired token as success", async () => {
    const expired = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() - 1 }) };
    const chain = new ChainedTokenCredential(expired);
    await expect(chain.getToken("scope")).rejects.toThrow(/Object returned an invalid token/);
  });
});

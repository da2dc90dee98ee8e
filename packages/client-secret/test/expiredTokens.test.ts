// Issue 8, item 5 (the parsing half): an already expired token was returned as success, and every
// later call went to the network again. Each test fails on the code before the fix.
import { rootContainer, Tokens, type Logger } from "@credchain/core";
import { ManualClock } from "@credchain/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../src/index.js";
import { GRAPH, rejectionOf } from "./fixtures.js";
import { startRecordingServer, type RecordingServer, type Reply } from "./recordingServer.js";

const START = Date.UTC(2026, 0, 1);
const SECONDS = START / 1000;

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  credential: ClientSecretCredential;
  clock: ManualClock;
  warnings: string[];
  server: RecordingServer;
}

/** A credential on a ManualClock with a capturing logger, against a server answering `reply`. */
async function against(reply: (clock: ManualClock) => Reply): Promise<Setup> {
  const clock = new ManualClock(START);
  const warnings: string[] = [];
  const ignore = (): void => {};
  const logger: Logger = {
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (m) => warnings.push(m),
  };
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  container.register(Tokens.Logger, { useValue: logger });
  server = await startRecordingServer(() => reply(clock));
  const credential = new ClientSecretCredential("tenant", "client", "the-secret-value", {
    authority: server.url,
    container,
    retryOptions: { maxRetries: 0 },
  });
  return { credential, clock, warnings, server };
}

const token = (fields: Record<string, unknown>): Reply => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    token_type: "Bearer",
    access_token: "eyJhbGciOi.expired.token",
    ...fields,
  }),
});

describe("an already expired token is an error, never a valid token", () => {
  it("expires_in 0 is a ClientAuthenticationError, not a token every later call fetches again", async () => {
    const { credential } = await against(() => token({ expires_in: 0 }));
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toMatch(
      /^ClientSecretCredential: unexpected response .*the token has already expired \(expires_in is 0\)/,
    );
    expect(error.message).not.toContain("eyJhbGciOi.expired.token");
  });

  it("an expires_on in the past (and no expires_in) is a ClientAuthenticationError", async () => {
    const { credential } = await against(() => token({ expires_on: SECONDS - 60 }));
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toMatch(/already expired \(expires_on is in the past/);
  });

  it("expires_on exactly now is already expired too", async () => {
    const { credential } = await against(() => token({ expires_on: SECONDS }));
    expect((await rejectionOf(credential.getToken(GRAPH))).message).toMatch(/already expired/);
  });

  it("a lifetime that ran out in transit is a ClientAuthenticationError", async () => {
    // The server takes 5 s (on the credential's clock) to answer with a 2 s lifetime.
    const { credential } = await against((clock) => {
      clock.advance(5_000);
      return token({ expires_in: 2 });
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toMatch(
      /lifetime \(expires_in 2 s\) ran out before the response arrived/,
    );
  });

  it("a lifetime that outlives the transit is a token, counted from before the request", async () => {
    const { credential } = await against((clock) => {
      clock.advance(5_000);
      return token({ expires_in: 60 });
    });
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(START + 60_000);
  });
});

describe("expires_on and expires_in disagree because the local clock is skewed", () => {
  it("trusts expires_in, measured from before the request, and logs the skew once", async () => {
    // The server's clock is 10 minutes ahead of ours: its expires_on is 10 minutes later than
    // expires_in says.
    const { credential, warnings } = await against(() =>
      token({ expires_in: 3600, expires_on: SECONDS + 3600 + 600 }),
    );
    const first = await credential.getToken("https://a.example/.default");
    await credential.getToken("https://b.example/.default");
    await credential.getToken("https://c.example/.default");
    expect(first.expiresOnTimestamp).toBe(START + 3_600_000);
    const skew = warnings.filter((line) => /expires_on and expires_in disagree/.test(line));
    expect(skew).toHaveLength(1);
    expect(skew[0]).toMatch(/ClientSecretCredential: .*by 600 s.*clock is about 600 s behind/);
  });

  it("serves a token whose expires_on looks past on a clock that runs ahead: expires_in wins", async () => {
    const { credential, warnings } = await against(() =>
      token({ expires_in: 3600, expires_on: SECONDS - 7200 }),
    );
    expect((await credential.getToken(GRAPH)).expiresOnTimestamp).toBe(START + 3_600_000);
    expect(warnings.join("\n")).toMatch(/clock is about 10800 s ahead of the server's/);
  });

  it("says nothing when they agree within a minute (latency, rounding)", async () => {
    const { credential, warnings } = await against(() =>
      token({ expires_in: 3600, expires_on: SECONDS + 3600 + 2 }),
    );
    await credential.getToken(GRAPH);
    expect(warnings).toEqual([]);
  });
});

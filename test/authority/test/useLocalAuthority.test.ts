import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useLocalAuthority, type LocalAuthority } from "../src/index.js";
import { postToken } from "./helpers.js";

/** The status of one token request for the demo client. */
async function requestToken(authority: LocalAuthority): Promise<number> {
  const response = await postToken(authority);
  await response.arrayBuffer();
  return response.status;
}

describe("useLocalAuthority with a runner's hooks", () => {
  const authority = useLocalAuthority({
    tokenLifetimeInSeconds: 120,
    hooks: { beforeAll, afterAll, afterEach },
  });

  it("is the running authority inside tests", async () => {
    expect(authority.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    authority.setFaults([{ kind: "status", status: 503 }]);
    expect(await requestToken(authority)).toBe(503);
    expect(authority.tokenRequestCount()).toBe(1);
  });

  it("starts every test with no faults and an empty log", async () => {
    expect(authority.tokenRequestCount()).toBe(0);
    expect(await requestToken(authority)).toBe(200);
  });
});

describe("useLocalAuthority without hooks", () => {
  it("says how to start it when used before it runs, and start()/stop() work with any runner", async () => {
    const authority = useLocalAuthority({});
    expect(() => authority.url).toThrowError(
      /not running.*hooks: \{ beforeAll, afterAll, afterEach \}/,
    );
    const started = await authority.start();
    expect(await authority.start()).toBe(started); // idempotent
    expect(authority.url).toBe(started.url);
    await authority.stop();
    await authority.stop();
    expect(() => authority.requests).toThrowError(/not running/);
  });
});

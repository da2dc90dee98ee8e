import { randomBytes } from "node:crypto";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runFixture } from "./support/runFixture.js";
import { startRedis, type RedisServer } from "./support/redisServer.js";

const KEY = randomBytes(32).toString("base64");
const SCOPE = "https://graph.microsoft.com/.default";

interface Outcome {
  results: { token?: string; error?: { name: string; message: string; statusCode?: number } }[];
  sources: string[];
  cacheErrors: string[];
}

let redis: RedisServer;
let authority: LocalAuthority;
beforeAll(async () => {
  [redis, authority] = await Promise.all([startRedis(), startAuthority()]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), authority?.close()]);
});
beforeEach(async () => {
  authority.resetLog();
  authority.setFaults([]);
  await redis.command(["FLUSHALL"]);
});

async function replica(input: Record<string, unknown> = {}): Promise<Outcome> {
  const result = await runFixture("get-token.mjs", {
    url: redis.url,
    key: KEY,
    authority: authority.url,
    scope: SCOPE,
    ...input,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Outcome;
}

describe("replicas sharing one Redis", () => {
  it("A caches; a fresh process B finds it with 0 token requests", async () => {
    const a = await replica();
    expect(a.sources).toEqual(["network"]);
    expect(authority.tokenRequestCount()).toBe(1);
    const b = await replica();
    expect(b.sources).toEqual(["persistent"]);
    expect(b.results[0]?.token).toBe(a.results[0]?.token);
    expect(authority.tokenRequestCount()).toBe(1);
  });
});

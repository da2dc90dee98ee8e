import { randomBytes } from "node:crypto";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type Fault,
} from "@credchain/local-authority";
import { describe, expect, it } from "vitest";
import { startFixture, startTogether, type FixtureResult } from "./support/runFixture.js";
import { useServers } from "./support/useServers.js";

const KEY = randomBytes(32).toString("base64");
const OTHER_KEY = randomBytes(32).toString("base64");
const SCOPE = "https://graph.microsoft.com/.default";
const OTHER_CLIENT_ID = "7b5a3c1e-2f4d-4e6a-9b8c-0d1e2f3a4b5c";
const OTHER_CLIENT_SECRET = "other-client-secret-value";

interface Outcome {
  results: {
    token?: string;
    error?: { name: string; message: string; statusCode?: number; retryAfterInMs?: number };
  }[];
  sources: string[];
  cacheErrors: string[];
}

const servers = useServers({
  clients: [
    { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
    { clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET },
  ],
});

function inputFor(input: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url: servers.redis.url,
    key: KEY,
    authority: servers.authority.url,
    scope: SCOPE,
    tenantId: DEMO_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    ...input,
  };
}

function parse(result: FixtureResult): Outcome {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as Outcome;
}

async function replica(input: Record<string, unknown> = {}): Promise<Outcome> {
  return parse(await startFixture("get-token.mjs", inputFor(input)).exited);
}

/** `count` warmed-up processes asking for the token at the same moment. */
async function together(
  count: number,
  input: Record<string, unknown> = {},
  faults: Fault[] = [],
): Promise<Outcome[]> {
  const results = await startTogether(
    count,
    "get-token.mjs",
    () => inputFor({ barrier: true, warmUpScope: "https://warm-up.example/.default", ...input }),
    () => {
      // The warm-up tokens do not count.
      servers.authority.resetLog();
      servers.authority.setFaults(faults);
    },
  );
  return results.map(parse);
}

async function allKeys(): Promise<string[]> {
  return ((await servers.redis.command(["KEYS", "*"])) as string[]).sort();
}

describe("replicas sharing one Redis", () => {
  it("A caches; a fresh process B finds it with 0 token requests", async () => {
    const a = await replica();
    expect(a.sources).toEqual(["network"]);
    expect(servers.authority.tokenRequestCount()).toBe(1);
    const b = await replica();
    expect(b.sources).toEqual(["persistent"]);
    expect(b.results[0]?.token).toBe(a.results[0]?.token);
    expect(servers.authority.tokenRequestCount()).toBe(1);
  });

  it("8 processes cold-starting at once send 1 token request; all get that token", async () => {
    // Slow enough that every process reaches Redis while the first request is still out.
    const outcomes = await together(8, {}, [{ kind: "latency", ms: 300 }]);
    expect(servers.authority.tokenRequestCount()).toBe(1);
    const tokens = new Set(outcomes.map((outcome) => outcome.results[0]?.token));
    expect(tokens.size).toBe(1);
    expect(outcomes.flatMap((outcome) => outcome.sources).sort()).toEqual([
      "network",
      ...Array<string>(7).fill("persistent"),
    ]);
  });

  it("with coordination: false, 8 processes cold-starting at once send 8 token requests", async () => {
    // Slow enough that every process has read Redis before the first token is written there.
    const outcomes = await together(8, { coordination: false }, [{ kind: "latency", ms: 1_000 }]);
    expect(servers.authority.tokenRequestCount()).toBe(8);
    for (const outcome of outcomes) expect(outcome.sources).toEqual(["network"]);
  });

  it("a lease owner SIGKILLed mid-request: the others proceed once its lease runs out, with one more request", async () => {
    const coordination = { leaseInMs: 1_500, waitInMs: 20_000 };
    servers.authority.enqueueFaults([{ kind: "hang" }]);
    const owner = startFixture("get-token.mjs", inputFor({ coordination, announceRequest: true }));
    await owner.printed("requesting");
    // The owner's request reached the authority (and hangs there): now it dies holding the lease.
    await servers.authority.waitForTokenRequests(1);
    owner.child.kill("SIGKILL");
    expect((await owner.exited).signal).toBe("SIGKILL");

    const outcomes = await together(4, { coordination });
    for (const outcome of outcomes) expect(outcome.results[0]?.token).toBeTypeOf("string");
    // Counted since the survivors were released: exactly one request between them.
    expect(servers.authority.tokenRequestCount()).toBe(1);
    expect(outcomes.flatMap((outcome) => outcome.sources).sort()).toEqual([
      "network",
      "persistent",
      "persistent",
      "persistent",
    ]);
  });

  /** The shared throttle's remaining life in Redis, in ms. */
  async function throttlePttl(): Promise<number> {
    const throttles = (await allKeys()).filter((key) => key.endsWith(":x"));
    expect(throttles).toHaveLength(1);
    return (await servers.redis.command(["PTTL", throttles[0] ?? ""])) as number;
  }

  it("a 429 seen by one replica is shared: the next one backs off without a request", async () => {
    servers.authority.setFaults([{ kind: "status", status: 429, retryAfter: "30" }]);
    const first = await replica();
    expect(first.results[0]?.error).toMatchObject({ statusCode: 429, retryAfterInMs: 30_000 });
    expect(servers.authority.tokenRequestCount()).toBe(1);

    const second = await replica();
    expect(second.results[0]?.error).toMatchObject({
      name: "ClientAuthenticationError",
      statusCode: 429,
      message: expect.stringMatching(/another replica was throttled.*retry after \d+ s/),
    });
    expect(servers.authority.tokenRequestCount()).toBe(1);
    // Bounded: the shared throttle expires on its own, when the server said (not the 10 s default).
    const ttl = await throttlePttl();
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it("the shared throttle lasts as long as the server's Retry-After: 120 s, not the 10 s default", async () => {
    servers.authority.setFaults([{ kind: "status", status: 429, retryAfter: 120 }]);
    const a = await replica();
    expect(a.results[0]?.error).toMatchObject({ statusCode: 429, retryAfterInMs: 120_000 });

    const b = await replica();
    // B fails fast with the shared 429, sending nothing, and says how long is left.
    expect(servers.authority.tokenRequestCount()).toBe(1);
    expect(b.results[0]?.error).toMatchObject({
      name: "ClientAuthenticationError",
      statusCode: 429,
      message: expect.stringMatching(/another replica was throttled.*retry after \d+ s/),
    });
    const left = b.results[0]?.error?.retryAfterInMs ?? 0;
    expect(left).toBeGreaterThan(60_000);
    expect(left).toBeLessThanOrEqual(120_000);
    // Far more than the 10 s default, and never more than the server asked.
    const ttl = await throttlePttl();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it("a Retry-After past the plugin's 5 min cap is shared for 5 min", async () => {
    servers.authority.setFaults([{ kind: "status", status: 429, retryAfter: 3600 }]);
    const a = await replica();
    expect(a.results[0]?.error).toMatchObject({ statusCode: 429, retryAfterInMs: 3_600_000 });
    const ttl = await throttlePttl();
    expect(ttl).toBeGreaterThan(240_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it("nothing in Redis names a token, secret, tenant or client id; TTLs end with the token", async () => {
    const a = await replica();
    const token = a.results[0]?.token ?? "";
    const payload = token.split(".")[1] ?? "";
    const forbidden = [token, payload, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, DEMO_CLIENT_ID, SCOPE];
    const keys = await allKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = (await servers.redis.command(["TYPE", key])) as string;
      const value =
        type === "string" ? ((await servers.redis.command(["GET", key])) as string) : "";
      const dump = String(await servers.redis.command(["DUMP", key]));
      for (const text of forbidden) {
        for (const haystack of [key, value, dump]) expect(haystack).not.toContain(text);
      }
      const ttl = (await servers.redis.command(["PTTL", key])) as number;
      expect(ttl, key).toBeGreaterThan(0);
    }
    const [entry] = keys.filter((key) => key.endsWith(":t"));
    const ttl = (await servers.redis.command(["PTTL", entry ?? ""])) as number;
    const expiresOn = (a as unknown as { results: { expiresOnTimestamp: number }[] }).results[0]
      ?.expiresOnTimestamp;
    expect(ttl).toBeLessThanOrEqual((expiresOn ?? 0) - Date.now());
  });

  it("two key prefixes and two clients do not see each other's tokens", async () => {
    await replica({ keyPrefix: "team-a:" });
    expect((await replica({ keyPrefix: "team-b:" })).sources).toEqual(["network"]);
    expect(
      (
        await replica({
          keyPrefix: "team-a:",
          clientId: OTHER_CLIENT_ID,
          clientSecret: OTHER_CLIENT_SECRET,
        })
      ).sources,
    ).toEqual(["network"]);
    expect(servers.authority.tokenRequestCount()).toBe(3);
    expect((await replica({ keyPrefix: "team-a:" })).sources).toEqual(["persistent"]);
    expect((await replica({ keyPrefix: "team-b:" })).sources).toEqual(["persistent"]);
    expect(servers.authority.tokenRequestCount()).toBe(3);
  });

  it("a replica with another key can neither read nor destroy the entries, and says so once", async () => {
    await replica();
    const other = await replica({ key: OTHER_KEY, calls: 2 });
    expect(other.sources).toEqual(["network"]);
    expect(other.cacheErrors).toEqual(["RedisCacheError"]);
    // The first replica's entry is still there for replicas with the first key.
    expect((await replica()).sources).toEqual(["persistent"]);
    expect(servers.authority.tokenRequestCount()).toBe(2);
  });
});

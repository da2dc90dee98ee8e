import { inspect } from "node:util";
import { CredentialUnavailableError, ManualClock, noopLogger, Tokens } from "@credchain/core";
import { DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "@credchain/local-authority";
import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import { credential, KEY, pluginContainer, recordCacheErrors } from "./support/testCredential.js";
import { until } from "./support/until.js";
import { useServers } from "./support/useServers.js";

const servers = useServers();

const SCOPE = "https://vault.azure.net/.default";

async function keys(): Promise<string[]> {
  return ((await servers.redis.command(["KEYS", "*"])) as string[]).sort();
}

async function getCalls(): Promise<number> {
  const stats = String(await servers.redis.command(["INFO", "commandstats"]));
  return Number(/cmdstat_get:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe("redisCachePlugin with credentials", () => {
  it("a memory hit never touches Redis", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    const cred = credential(container, servers.authority.url);
    await cred.getToken(SCOPE);
    const before = await getCalls();
    for (let i = 0; i < 1_000; i++) await cred.getToken(SCOPE);
    expect(await getCalls()).toBe(before);
    await cred.close();
  });

  it("without a key and without consent, getToken fails at the first store with what to do", async () => {
    const { container } = pluginContainer({ url: servers.redis.url });
    const error = await credential(container, servers.authority.url)
      .getToken(SCOPE)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toMatch(/needs an encryption key/);
    expect((error as Error).message).toMatch(/CREDCHAIN_CACHE_KEY/);
    expect((error as Error).message).toMatch(/allowUnencryptedStorage: true/);
    expect(servers.authority.tokenRequestCount()).toBe(0);
    expect(await keys()).toEqual([]);
  });

  it("with allowUnencryptedStorage: plaintext entries, still under hashed names", async () => {
    const { container } = pluginContainer({ url: servers.redis.url });
    // A registered logger gets the unencrypted-storage warning (and stderr does not).
    const warnings: string[] = [];
    container.register(Tokens.Logger, {
      useValue: { ...noopLogger, warn: (message: string) => warnings.push(message) },
    });
    const persistence = { name: "plain", allowUnencryptedStorage: true };
    const token = await credential(container, servers.authority.url, persistence).getToken(SCOPE);
    expect(warnings.filter((message) => /UNENCRYPTED/.test(message))).toHaveLength(1);
    const [entry] = (await keys()).filter((key) => key.endsWith(":t"));
    expect(entry).toMatch(/^credchain:\{[A-Za-z0-9_-]{43}\}:t$/);
    expect(entry).not.toContain(DEMO_TENANT_ID);
    expect(String(await servers.redis.command(["GET", entry ?? ""]))).toMatch(/^p1:/);
    const again = await credential(container, servers.authority.url, persistence).getToken(SCOPE);
    expect(again.token).toBe(token.token);
    expect(servers.authority.tokenRequestCount()).toBe(1);
  });

  it("uses a caller's connected client and never quits it", async () => {
    const client = createClient({ url: servers.redis.url });
    client.on("error", () => {});
    await client.connect();
    try {
      const { container } = pluginContainer({ client, encryptionKey: KEY });
      const cred = credential(container, servers.authority.url);
      await cred.getToken(SCOPE);
      await cred.close();
      expect(client.isReady).toBe(true);
      expect((await keys()).some((key) => key.endsWith(":t"))).toBe(true);
      // A second credential, fresh memory, same client: answered from Redis.
      await credential(container, servers.authority.url).getToken(SCOPE);
      expect(servers.authority.tokenRequestCount()).toBe(1);
    } finally {
      client.destroy();
    }
  });

  it("CAE tokens live in their own partition", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    const cred = credential(container, servers.authority.url);
    const plain = await cred.getToken(SCOPE);
    const cae = await cred.getToken(SCOPE, { enableCae: true });
    expect(cae.token).not.toBe(plain.token);
    expect((await keys()).filter((key) => key.endsWith(":t"))).toHaveLength(2);
    const fresh = credential(container, servers.authority.url);
    expect((await fresh.getToken(SCOPE, { enableCae: true })).token).toBe(cae.token);
    expect((await fresh.getToken(SCOPE)).token).toBe(plain.token);
    expect(servers.authority.tokenRequestCount()).toBe(2);
  });

  it("a claims challenge never answers from Redis", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    await credential(container, servers.authority.url).getToken(SCOPE);
    const challenged = await credential(container, servers.authority.url).getToken(SCOPE, {
      claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }),
    });
    expect(challenged.token).toBeTypeOf("string");
    expect(servers.authority.tokenRequestCount()).toBe(2);
  });

  it("a tampered entry is ignored and reported once, then replaced by the network's token", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    await credential(container, servers.authority.url).getToken(SCOPE);
    const [entry] = (await keys()).filter((key) => key.endsWith(":t"));
    const value = String(await servers.redis.command(["GET", entry ?? ""]));
    const flipped = `${value.slice(0, 20)}${value[20] === "A" ? "B" : "A"}${value.slice(21)}`;
    await servers.redis.command(["SET", entry ?? "", flipped, "PX", "60000"]);
    const recorder = recordCacheErrors();
    try {
      await credential(container, servers.authority.url).getToken(SCOPE);
      expect(servers.authority.tokenRequestCount()).toBe(2);
      expect(recorder.errors.map((event) => (event.error as { reason?: string }).reason)).toEqual([
        "unreadable-entry",
      ]);
      expect(String(await servers.redis.command(["GET", entry ?? ""]))).not.toBe(flipped);
    } finally {
      recorder.stop();
    }
  });

  it("a refusal from Redis (wrong type) is reported once and does not stop Redis being used", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    await credential(container, servers.authority.url).getToken(SCOPE);
    const [entry] = (await keys()).filter((key) => key.endsWith(":t"));
    await servers.redis.command(["DEL", entry ?? ""]);
    await servers.redis.command(["LPUSH", entry ?? "", "not a token"]);
    const recorder = recordCacheErrors();
    try {
      for (let i = 0; i < 3; i++)
        await credential(container, servers.authority.url).getToken(SCOPE);
      expect(recorder.errors.map((event) => (event.error as { reason?: string }).reason)).toEqual([
        "command",
      ]);
      // Redis is still in use for everything else: another scope is written and read back.
      await credential(container, servers.authority.url).getToken("https://other.example/.default");
      const before = servers.authority.tokenRequestCount();
      await credential(container, servers.authority.url).getToken("https://other.example/.default");
      expect(servers.authority.tokenRequestCount()).toBe(before);
    } finally {
      recorder.stop();
    }
  });

  it("never leaks: errors, events and the persistence print no key, token or secret", async () => {
    const { container } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    const cred = credential(container, servers.authority.url);
    const token = await cred.getToken(SCOPE);
    const printed = [
      inspect(container.resolve(Tokens.TokenCachePersistence), { depth: 5 }),
      JSON.stringify(cred),
      inspect(cred, { depth: 5 }),
    ].join("\n");
    for (const secret of [
      token.token,
      DEMO_CLIENT_SECRET,
      KEY.toString("base64"),
      KEY.toString("hex"),
    ]) {
      expect(printed).not.toContain(secret);
    }
  });
});

describe("refresh across replicas", () => {
  it("two replicas refreshing the same shared token at the same moment send one request", async () => {
    const clock = new ManualClock(Date.now());
    const a = pluginContainer({ url: servers.redis.url, encryptionKey: KEY }, clock);
    const b = pluginContainer({ url: servers.redis.url, encryptionKey: KEY }, clock);
    const replicaA = credential(a.container, servers.authority.url);
    const replicaB = credential(b.container, servers.authority.url);
    const first = await replicaA.getToken(SCOPE);
    expect((await replicaB.getToken(SCOPE)).token).toBe(first.token);
    expect(servers.authority.tokenRequestCount()).toBe(1);
    // The lease release is sent in the background: nothing may be in flight when time jumps.
    await until(() => clock.pendingSleeps === 0, "the lease release");

    // Both replicas hold the same token, so both reach its refresh time together.
    clock.advance(56 * 60_000);
    const refreshed = [replicaA, replicaB].map(
      (replica) =>
        new Promise<void>((resolve) =>
          replica.events.on("token:refresh", (event) => {
            if (event.outcome !== "started") resolve();
          }),
        ),
    );
    await Promise.all([replicaA.getToken(SCOPE), replicaB.getToken(SCOPE)]);
    await Promise.all(refreshed);
    expect(servers.authority.tokenRequestCount()).toBe(2);
    const [tokenA, tokenB] = await Promise.all([
      replicaA.getToken(SCOPE),
      replicaB.getToken(SCOPE),
    ]);
    expect(tokenA.token).toBe(tokenB.token);
    expect(tokenA.token).not.toBe(first.token);
    await Promise.all([replicaA.close(), replicaB.close()]);
  });
});

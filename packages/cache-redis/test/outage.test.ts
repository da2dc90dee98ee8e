import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedis, type RedisServer } from "./support/redisServer.js";
import { credential, KEY, pluginContainer, recordCacheErrors } from "./support/testCredential.js";
import { until } from "./support/until.js";

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
  await redis.command(["FLUSHALL"]);
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

const scope = (i: number): string => `https://api-${i}.example/.default`;

async function entries(): Promise<number> {
  return (await redis.command(["DBSIZE"])) as number;
}

describe("Redis down or slow never breaks getToken", () => {
  it("Redis killed mid-run: tokens keep coming from the network, one cache:error for the outage; restarted: written again", async () => {
    const { container, clock } = pluginContainer({ url: redis.url, encryptionKey: KEY });
    const recorder = recordCacheErrors();
    try {
      await credential(container, authority.url).getToken(scope(0));
      expect(await entries()).toBeGreaterThan(0);

      await redis.kill();
      for (let i = 1; i <= 6; i++) {
        // Past the breaker's back-off now and then: its probes fail quietly.
        if (i % 2 === 0) clock.advance(2_000);
        const token = await credential(container, authority.url).getToken(scope(i));
        expect(token.token).toBeTypeOf("string");
      }
      expect(authority.tokenRequestCount()).toBe(7);
      expect(recorder.errors.map((event) => (event.error as Error).name)).toEqual([
        "RedisCacheError",
      ]);
      expect(String((recorder.errors[0]?.error as Error).message)).toMatch(
        new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} .*skipping Redis until it recovers`),
      );

      await redis.restart();
      let i = 100;
      // The client reconnects on its own; the breaker lets a probe through after its back-off.
      await until(async () => {
        clock.advance(30_000);
        await credential(container, authority.url).getToken(scope(++i));
        return (await entries()) > 0;
      }, "the token to be written to the restarted Redis");
      const before = authority.tokenRequestCount();
      const again = credential(container, authority.url);
      await again.getToken(scope(i));
      expect(authority.tokenRequestCount()).toBe(before);
      expect(recorder.errors).toHaveLength(1);
    } finally {
      recorder.stop();
    }
  });

  it("a stalled Redis costs one command timeout, then is skipped; tokens keep coming", async () => {
    const { container, clock } = pluginContainer({
      url: redis.url,
      encryptionKey: KEY,
      commandTimeoutInMs: 500,
    });
    const recorder = recordCacheErrors();
    try {
      await credential(container, authority.url).getToken(scope(0));
      // The lease release after that first token is sent in the background: let it finish.
      await until(() => clock.pendingSleeps === 0, "the lease release");
      redis.pause();
      const pending = credential(container, authority.url).getToken(scope(1));
      // The read is out and its timeout is running on the injected clock: let it expire.
      await until(() => clock.pendingSleeps > 0, "the Redis command timeout to start");
      clock.advance(500);
      await expect(pending).resolves.toMatchObject({ token: expect.any(String) });
      // Skipped now: no further timeouts to wait for.
      await credential(container, authority.url).getToken(scope(2));
      expect(clock.pendingSleeps).toBe(0);
      expect(recorder.errors).toHaveLength(1);
      expect((recorder.errors[0]?.error as { reason?: string }).reason).toBe("timeout");
    } finally {
      redis.resume();
      recorder.stop();
    }
  });
});

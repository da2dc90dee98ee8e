import { Tokens, type ManualClock } from "@credchain/core";
import { describe, expect, it } from "vitest";
import { credential, KEY, pluginContainer, recordCacheErrors } from "./support/testCredential.js";
import { until } from "./support/until.js";
import { useServers } from "./support/useServers.js";

const servers = useServers();

/** Resolves like `promise`, advancing `clock` 50 ms at a time while it is pending. */
async function withClockMoving<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const observed = promise.finally(() => {
    settled = true;
  });
  observed.catch(() => {});
  await until(() => {
    if (!settled) clock.advance(50);
    return settled;
  }, "the call to finish");
  return observed;
}

const scope = (i: number): string => `https://api-${i}.example/.default`;

async function entries(): Promise<number> {
  return (await servers.redis.command(["DBSIZE"])) as number;
}

describe("Redis down or slow never breaks getToken", () => {
  it("Redis killed mid-run: tokens keep coming from the network, one cache:error for the outage; restarted: written again", async () => {
    const { container, clock } = pluginContainer({ url: servers.redis.url, encryptionKey: KEY });
    const said: string[] = [];
    const record = (message: string): void => {
      said.push(message);
    };
    container.register(Tokens.Logger, {
      useValue: { debug: record, info: record, warn: record, error: record },
    });
    const recorder = recordCacheErrors();
    try {
      await credential(container, servers.authority.url).getToken(scope(0));
      expect(await entries()).toBeGreaterThan(0);

      await servers.redis.kill();
      for (let i = 1; i <= 6; i++) {
        // Past the breaker's back-off now and then: its probes fail quietly.
        if (i % 2 === 0) clock.advance(2_000);
        const token = await credential(container, servers.authority.url).getToken(scope(i));
        expect(token.token).toBeTypeOf("string");
      }
      expect(servers.authority.tokenRequestCount()).toBe(7);
      expect(recorder.errors.map((event) => (event.error as Error).name)).toEqual([
        "RedisCacheError",
      ]);
      expect(String((recorder.errors[0]?.error as Error).message)).toMatch(
        new RegExp(
          `Redis at 127\\.0\\.0\\.1:${servers.redis.port} .*skipping Redis until it recovers`,
        ),
      );

      await servers.redis.restart();
      let i = 100;
      // The client reconnects on its own; the breaker lets a probe through after its back-off.
      await until(async () => {
        clock.advance(30_000);
        await credential(container, servers.authority.url).getToken(scope(++i));
        return (await entries()) > 0;
      }, "the token to be written to the restarted Redis");
      const before = servers.authority.tokenRequestCount();
      const again = credential(container, servers.authority.url);
      await again.getToken(scope(i));
      expect(servers.authority.tokenRequestCount()).toBe(before);
      expect(recorder.errors).toHaveLength(1);
      expect(said.filter((line) => line.includes("answers again"))).toHaveLength(1);
    } finally {
      recorder.stop();
    }
  });

  it("a stalled Redis costs one command timeout, then is skipped; tokens keep coming", async () => {
    const { container, clock } = pluginContainer({
      url: servers.redis.url,
      encryptionKey: KEY,
      commandTimeoutInMs: 500,
    });
    const recorder = recordCacheErrors();
    try {
      await credential(container, servers.authority.url).getToken(scope(0));
      // The lease release after that first token is sent in the background: let it finish.
      await until(() => clock.pendingSleeps === 0, "the lease release");
      servers.redis.pause();
      // The read is out and its timeout runs on the injected clock: move time until it expires
      // (whatever else also waits on the clock, such as the request's own deadline).
      const token = await withClockMoving(
        clock,
        credential(container, servers.authority.url).getToken(scope(1)),
      );
      expect(token.token).toBeTypeOf("string");
      expect(recorder.errors).toHaveLength(1);
      expect((recorder.errors[0]?.error as { reason?: string }).reason).toBe("timeout");
      // Skipped now (a probe after the back-off fails quietly): tokens keep coming.
      await withClockMoving(clock, credential(container, servers.authority.url).getToken(scope(2)));
      expect(recorder.errors).toHaveLength(1);
    } finally {
      servers.redis.resume();
      recorder.stop();
    }
  });
});

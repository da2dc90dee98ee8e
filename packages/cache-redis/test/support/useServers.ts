import {
  startAuthority,
  type AuthorityOptions,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startRedis, type RedisServer } from "./redisServer.js";

/** The servers one test file runs against; read them inside tests (they start in `beforeAll`). */
export interface Servers {
  readonly redis: RedisServer;
  readonly authority: LocalAuthority;
}

/**
 * Starts a Redis and a local authority for the file, empties both before each test, stops both
 * after, and fails the file if anything left a promise rejection unhandled.
 */
export function useServers(authorityOptions?: AuthorityOptions): Servers {
  let redis: RedisServer | undefined;
  let authority: LocalAuthority | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    [redis, authority] = await Promise.all([startRedis(), startAuthority(authorityOptions)]);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await Promise.all([redis?.close(), authority?.close()]);
    expect(unhandled).toEqual([]);
  });
  beforeEach(async () => {
    authority?.resetLog();
    authority?.setFaults([]);
    await redis?.command(["FLUSHALL"]);
  });
  return {
    get redis(): RedisServer {
      if (redis === undefined) throw new Error("Redis is not started yet (use it inside a test).");
      return redis;
    },
    get authority(): LocalAuthority {
      if (authority === undefined) throw new Error("The authority is not started yet.");
      return authority;
    },
  };
}

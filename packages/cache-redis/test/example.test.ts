import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "@credchain/local-authority";
import { expect, it } from "vitest";
import { useServers } from "./support/useServers.js";

const run = promisify(execFile);
const example = fileURLToPath(new URL("../examples/replica.mjs", import.meta.url));

const servers = useServers();

it("the README's two-replica example: two processes, one Redis, one token request", async () => {
  const env = {
    ...process.env,
    CREDCHAIN_REDIS_URL: servers.redis.url,
    CREDCHAIN_CACHE_KEY: randomBytes(32).toString("base64"),
    AZURE_AUTHORITY_HOST: servers.authority.url,
    AZURE_TENANT_ID: DEMO_TENANT_ID,
    AZURE_CLIENT_ID: DEMO_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
  };
  const [first, second] = await Promise.all([
    run(process.execPath, [example], { env }),
    run(process.execPath, [example], { env }),
  ]);
  const said = [first.stdout, second.stdout];
  const fromNetwork = said.filter((out) =>
    /got a token for https:\/\/vault\.azure\.net\/\.default from network/.test(out),
  );
  const fromRedis = said.filter((out) => /from Redis \(another replica's token\)/.test(out));
  expect([fromNetwork.length, fromRedis.length]).toEqual([1, 1]);
  expect(servers.authority.tokenRequestCount()).toBe(1);
});

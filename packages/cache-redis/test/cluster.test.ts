import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { createCluster } from "redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRedisCluster, type RedisCluster } from "./support/redisCluster.js";
import { credential, KEY, pluginContainer } from "./support/testCredential.js";

let cluster: RedisCluster;
let authority: LocalAuthority;
beforeAll(async () => {
  [cluster, authority] = await Promise.all([startRedisCluster(), startAuthority()]);
});
afterAll(async () => {
  await Promise.all([cluster?.close(), authority?.close()]);
});

it("a caller's Redis Cluster client: tokens shared, one request for concurrent cold starts", async () => {
  const client = createCluster({ rootNodes: [{ url: cluster.rootUrl }] });
  client.on("error", () => {});
  await client.connect();
  try {
    const replicas = Array.from({ length: 3 }, () =>
      credential(pluginContainer({ client, encryptionKey: KEY }).container, authority.url),
    );
    const scopes = ["https://a.example/.default", "https://b.example/.default"];
    for (const scope of scopes) {
      const tokens = await Promise.all(replicas.map((replica) => replica.getToken(scope)));
      expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
    }
    expect(authority.tokenRequestCount()).toBe(scopes.length);
    const fresh = credential(
      pluginContainer({ client, encryptionKey: KEY }).container,
      authority.url,
    );
    await fresh.getToken(scopes[0] ?? "");
    expect(authority.tokenRequestCount()).toBe(scopes.length);
    await Promise.all([...replicas, fresh].map((replica) => replica.close()));
    expect(client.isOpen).toBe(true);
  } finally {
    client.destroy();
  }
});

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { freePort } from "./freePort.js";

/** A three-master Redis Cluster of the test's own on 127.0.0.1, persistence off. */
export interface RedisCluster {
  readonly rootUrl: string;
  close(): Promise<void>;
}

async function clusterState(port: number): Promise<string> {
  const client = createClient({
    url: `redis://127.0.0.1:${port}`,
    socket: { reconnectStrategy: false, connectTimeout: 500 },
  });
  client.on("error", () => {});
  try {
    await client.connect();
    const info = await client.sendCommand<string>(["CLUSTER", "INFO"]);
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? "unknown";
  } catch {
    return "down";
  } finally {
    client.destroy();
  }
}

/**
 * Starts the cluster, on fresh ports up to three times: a node's bus port (port + 10000) may be
 * taken by another test's server between our probe and its bind.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnce(): Promise<RedisCluster> {
  const directory = await mkdtemp(join(tmpdir(), "credchain-cluster-"));
  const ports: number[] = [];
  // Cluster nodes also listen on port + 10000: pick ports whose bus port is free too.
  while (ports.length < 3) {
    const port = await freePort();
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
  const nodes: ChildProcess[] = ports.map((port) =>
    spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        join(directory, `nodes-${port}.conf`),
        "--dir",
        directory,
      ],
      { stdio: "ignore" },
    ),
  );
  const close = async (): Promise<void> => {
    for (const node of nodes) node.kill("SIGKILL");
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const guard = Date.now() + 20_000;
    while ((await Promise.all(ports.map(clusterState))).includes("down")) {
      if (Date.now() > guard) throw new Error("cluster nodes did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const created = spawnSync(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...ports.map((port) => `127.0.0.1:${port}`),
        "--cluster-replicas",
        "0",
        "--cluster-yes",
      ],
      { encoding: "utf8" },
    );
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    while ((await Promise.all(ports.map(clusterState))).some((state) => state !== "ok")) {
      if (Date.now() > guard) throw new Error("the cluster did not reach state ok");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { rootUrl: `redis://127.0.0.1:${ports[0]}`, close };
}

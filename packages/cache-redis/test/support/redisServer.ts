import { spawn, type ChildProcess } from "node:child_process";
import { createClient } from "redis";
import { freePort } from "./freePort.js";

/** A redis-server of the test's own on 127.0.0.1, persistence off. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILLs the server (an outage). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGSTOP: Redis still holds its connections but answers nothing (a stalled server). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Runs one command on a short-lived connection, for assertions. */
  command(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

async function ping(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function launch(port: number): ChildProcess {
  return spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const guard = Date.now() + 10_000;
  while (!(await ping(url))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (Date.now() > guard) throw new Error("redis-server did not answer PING within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startRedis(): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let child = launch(port);
    try {
      await waitForPing(url, child);
    } catch (error) {
      child.kill("SIGKILL");
      // Another process took the port between our probe and redis-server's bind: try another.
      if (attempt < 3) continue;
      throw error;
    }
    return {
      port,
      url,
      async kill() {
        child.kill("SIGKILL");
        await exited(child);
      },
      async restart() {
        child = launch(port);
        await waitForPing(url, child);
      },
      pause() {
        child.kill("SIGSTOP");
      },
      resume() {
        child.kill("SIGCONT");
      },
      async command(args) {
        const client = createClient({ url });
        client.on("error", () => {});
        await client.connect();
        try {
          return await client.sendCommand(args);
        } finally {
          client.destroy();
        }
      },
      async close() {
        child.kill("SIGCONT");
        child.kill("SIGKILL");
        await exited(child);
      },
    };
  }
}

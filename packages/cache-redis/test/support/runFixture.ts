import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface FixtureResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fixture process: its exit, and lines it printed so far. */
export interface Replica {
  child: ChildProcess;
  exited: Promise<FixtureResult>;
  /** Resolves when the process printed a line equal to `line`. */
  printed(line: string): Promise<void>;
  /** Writes one line to its stdin (the fixtures' start barrier reads it). */
  send(line: string): void;
}

/** Starts `node test/fixtures/<name>` with `input` as JSON in argv[2], importing the built package. */
export function startFixture(name: string, input: unknown): Replica {
  if (!existsSync(`${packageRoot}dist/index.js`)) {
    throw new Error("Build @credchain/cache-redis first: pnpm build");
  }
  const file = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [file, JSON.stringify(input)], {
    cwd: packageRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiting: { line: string; resolve: () => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const lines = stdout.split("\n");
    for (const waiter of [...waiting]) {
      if (lines.includes(waiter.line)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<FixtureResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    exited,
    printed: (line) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.split("\n").includes(line)) return resolve();
        waiting.push({ line, resolve });
        void exited.then((result) =>
          reject(
            new Error(
              `fixture exited (${result.code}) before printing "${line}": ${result.stderr}`,
            ),
          ),
        );
      }),
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

/** Starts `count` fixtures, waits until each has loaded and printed "ready", then releases all at once. */
export async function startTogether(
  count: number,
  name: string,
  input: (index: number) => unknown,
  beforeGo?: () => void,
): Promise<FixtureResult[]> {
  const replicas = Array.from({ length: count }, (_, i) => startFixture(name, input(i)));
  await Promise.all(replicas.map((replica) => replica.printed("ready")));
  beforeGo?.();
  for (const replica of replicas) replica.send("go");
  return Promise.all(replicas.map((replica) => replica.exited));
}

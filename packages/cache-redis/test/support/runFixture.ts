import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Fixtures import the built package, as another process of a real app would. */
export function assertBuilt(): void {
  if (!existsSync(`${packageRoot}dist/index.js`)) {
    throw new Error("Build @credchain/cache-redis first: pnpm build");
  }
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export interface FixtureResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node fixtures/<name>` with `input` as JSON in argv[2]; resolves when it exits. */
export function runFixture(
  name: string,
  input: unknown,
  env?: NodeJS.ProcessEnv,
): Promise<FixtureResult> {
  return settle(startFixture(name, input, env));
}

export function startFixture(name: string, input: unknown, env?: NodeJS.ProcessEnv): ChildProcess {
  assertBuilt();
  return spawn(process.execPath, [fixturePath(name), JSON.stringify(input)], {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function settle(child: ChildProcess): Promise<FixtureResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the first stdout line that contains `text`. */
export function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer | string): void => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`fixture exited (${code}) before printing ${text}`)),
    );
  });
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The real bin, as npm links it: tests run exactly what a user runs. */
export const BIN = fileURLToPath(new URL("../../bin/credchain.js", import.meta.url));

export interface CredchainResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The whole environment of the child (nothing is inherited but PATH). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed; default: stdin closed at once. */
  input?: string;
}

/** Runs `node bin/credchain.js ...args` and resolves when it exits. */
export function runCredchain(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CredchainResult> {
  if (!existsSync(fileURLToPath(new URL("../../dist/main.js", import.meta.url)))) {
    throw new Error("Build first: pnpm build (the bin runs dist/)");
  }
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  for (const [name, value] of Object.entries(options.env ?? {}))
    if (value !== undefined) env[name] = value;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/runCli.js";
import { BIN, runCredchain } from "./support/runCredchain.js";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/** `runCli` in this process, collecting what it writes: for the many cheap help/version cases. */
async function runInProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]),
    env: {},
  });
  return { code, stdout, stderr };
}

describe("credchain --help and --version", () => {
  it("the bin prints its version and its help", async () => {
    expect(await runCredchain(["--version"])).toMatchObject({
      code: 0,
      stdout: `${version}\n`,
      stderr: "",
    });
    const help = await runCredchain(["token", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: credchain token/);
  });

  it.each([[[]], [["token"]], [["decode"]], [["doctor"]], [["authority"]]])(
    "credchain %j --version prints the version on stdout",
    async (command) => {
      const result = await runInProcess([...command, "--version"]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    },
  );

  it.each([
    [[], /Usage: credchain/],
    [["token"], /--credential <name>/],
    [["decode"], /does\s+NOT\s+verify/],
    [["doctor"], /clock\s+skew/],
  ])("credchain %j --help prints usage on stdout", async (command, text) => {
    const result = await runInProcess([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(text);
  });

  it("credchain authority --help is credchain-authority's own help", async () => {
    // Its module writes to process.stdout, so this one runs the bin.
    const result = await runCredchain(["authority", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--token-lifetime/);
  });

  it("no command at all prints the usage and exits 2", async () => {
    const result = await runInProcess([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: credchain");
  });
});

describe("credchain authority", () => {
  it("runs the local authority with credchain-authority's flags until SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "authority", "--port", "0", "--client", "cli-app:cli-secret"],
      {
        env: { PATH: process.env["PATH"] ?? "" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match?.[1] !== undefined && stdout.includes("Press Ctrl+C")) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code} before listening`)));
    });
    expect(stdout).toContain("AZURE_CLIENT_ID=cli-app");
    const discovery = await fetch(`${url}/common/discovery/instance?api-version=1.1`);
    expect(discovery.status).toBe(200);
    const exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? signal)),
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

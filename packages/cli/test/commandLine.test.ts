import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BIN, runCredchain } from "./support/runCredchain.js";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

describe("credchain --help and --version", () => {
  it.each([[[]], [["token"]], [["decode"]], [["doctor"]], [["authority"]]])(
    "credchain %j --version prints the version on stdout",
    async (command) => {
      const result = await runCredchain([...command, "--version"]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    },
  );

  it.each([
    [[], /Usage: credchain/],
    [["token"], /--credential <name>/],
    [["decode"], /does\s+NOT\s+verify/],
    [["doctor"], /clock\s+skew/],
    [["authority"], /--token-lifetime/],
  ])("credchain %j --help prints usage on stdout", async (command, text) => {
    const result = await runCredchain([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(text);
  });

  it("no command at all prints the usage and exits 2", async () => {
    const result = await runCredchain([]);
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

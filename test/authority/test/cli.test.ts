import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = new URL("../bin/credchain-authority.js", import.meta.url);

describe("credchain-authority CLI", () => {
  it.each([["--version"], ["-v"]])("%s prints the package version and exits", async (flag) => {
    const { version } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const { stdout } = await run(process.execPath, [bin.pathname, flag]);
    expect(stdout).toBe(`${version}\n`);
  });

  it("rejects an --issuer other than v1 or v2", async () => {
    const error = (await run(process.execPath, [bin.pathname, "--issuer", "v3"]).catch(
      (err: unknown) => err,
    )) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain("--issuer expects v1 or v2");
  });
});

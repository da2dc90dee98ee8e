import { mkdtemp, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  platformArcAgentPath,
  platformArcTokenDirectory,
  readArcSecret,
} from "../src/readArcSecret.js";

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "credchain-arc-test-"));
  outside = await mkdtemp(join(tmpdir(), "credchain-arc-outside-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("readArcSecret", () => {
  it("reads a .key file directly in the token directory", async () => {
    await writeFile(join(dir, "a.key"), "s3cr3t\n");
    await expect(readArcSecret(join(dir, "a.key"), dir)).resolves.toBe("s3cr3t");
  });

  it("accepts exactly 4096 bytes and refuses 4097", async () => {
    await writeFile(join(dir, "max.key"), "x".repeat(4096));
    await writeFile(join(dir, "big.key"), "x".repeat(4097));
    await expect(readArcSecret(join(dir, "max.key"), dir)).resolves.toHaveLength(4096);
    await expect(readArcSecret(join(dir, "big.key"), dir)).rejects.toThrow(/4097 bytes/);
  });

  it.each([
    ["a file that is not .key", (d: string) => join(d, "id_rsa")],
    ["a bare .key", (d: string) => join(d, ".key")],
    ["a relative path", () => "a.key"],
    ["a path that climbs out", (d: string) => join(d, "..", "a.key")],
    ["a subdirectory", (d: string) => join(d, "sub", "a.key")],
  ])("refuses %s, without reading it", async (_what, path) => {
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "a.key"), "nested");
    await writeFile(join(dir, "id_rsa"), "private");
    const error = await readArcSecret(path(dir), dir).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: "ClientAuthenticationError" });
    expect((error as Error).message).not.toContain("private");
    expect((error as Error).message).not.toContain("nested");
  });

  it("refuses a file outside the directory", async () => {
    await writeFile(join(outside, "a.key"), "other");
    await expect(readArcSecret(join(outside, "a.key"), dir)).rejects.toThrow(/not directly in/);
  });

  it.skipIf(process.platform === "win32")(
    "refuses a symbolic link, even to a .key file",
    async () => {
      await writeFile(join(outside, "target.key"), "other");
      await symlink(join(outside, "target.key"), join(dir, "link.key"));
      await expect(readArcSecret(join(dir, "link.key"), dir)).rejects.toMatchObject({
        name: "ClientAuthenticationError",
      });
    },
  );

  it("refuses a directory named .key", async () => {
    await mkdir(join(dir, "d.key"));
    await expect(readArcSecret(join(dir, "d.key"), dir)).rejects.toMatchObject({
      name: "ClientAuthenticationError",
    });
  });

  it("knows the platform token directories", () => {
    expect(platformArcTokenDirectory("linux", {})).toBe("/var/opt/azcmagent/tokens");
    expect(platformArcTokenDirectory("win32", { ProgramData: "C:\\ProgramData" })).toBe(
      "C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens",
    );
    expect(platformArcTokenDirectory("darwin", {})).toBeUndefined();
    expect(platformArcAgentPath("linux", {})).toBe("/opt/azcmagent/bin/himds");
    expect(platformArcAgentPath("win32", { ProgramFiles: "C:\\Program Files" })).toBe(
      "C:\\Program Files\\AzureConnectedMachineAgent\\himds.exe",
    );
  });
});

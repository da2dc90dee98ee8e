import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** What the fake az does. */
export type FakeAzMode =
  "success" | "legacy-expires-on" | "hang" | "fail" | "not-logged-in" | "unknown-tenant";

/**
 * A real `az` executable (a node script with a shebang) in a temporary directory: it records its
 * argv and pid, then behaves as `FAKE_AZ_MODE` says. Tests put its directory first on `PATH`.
 */
const SCRIPT = (node: string): string => `#!${node}
const fs = require("node:fs");
const log = process.env.FAKE_AZ_LOG;
if (log) fs.appendFileSync(log, JSON.stringify({ argv: process.argv.slice(2), pid: process.pid }) + "\\n");
const modeFile = process.env.FAKE_AZ_MODE_FILE;
const mode = (modeFile ? fs.readFileSync(modeFile, "utf8").trim() : process.env.FAKE_AZ_MODE) || "success";
const args = process.argv.slice(2);
const resource = args[args.indexOf("--resource") + 1];
const tenant = args.includes("--tenant") ? args[args.indexOf("--tenant") + 1] : "00000000-0000-0000-0000-00000000a2c1";
const expiresOn = Math.floor(Date.now() / 1000) + 3600;
switch (mode) {
  case "success":
    process.stdout.write(JSON.stringify({
      accessToken: "fake-az-token-for-" + resource,
      expiresOn: "2000-01-01 00:00:00.000000",
      expires_on: expiresOn,
      subscription: "sub",
      tenant,
      tokenType: "Bearer",
    }));
    break;
  case "legacy-expires-on": {
    const d = new Date(Date.now() + 1800 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    const local = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + ".000000";
    process.stdout.write(JSON.stringify({ accessToken: "legacy-token", expiresOn: local, tokenType: "Bearer" }));
    break;
  }
  case "hang":
    setInterval(() => {}, 1000);
    break;
  case "fail":
    process.stderr.write("ERROR: The command failed with an unexpected error. Token eyJhbGciOiJIUzI1NiJ9.e30.x\\n");
    process.exitCode = 2;
    break;
  case "not-logged-in":
    process.stderr.write("ERROR: Please run 'az login' to setup account.\\n");
    process.exitCode = 1;
    break;
  case "unknown-tenant":
    process.stderr.write("ERROR: AADSTS90002: Tenant '" + tenant + "' not found.\\n");
    process.exitCode = 1;
    break;
}
`;

export interface FakeAz {
  /** The environment to run under: the fake first on PATH. */
  env(mode: FakeAzMode): Record<string, string>;
  /** The environment for a fake whose mode `setMode` changes between runs. */
  switchableEnv(): Record<string, string>;
  setMode(mode: FakeAzMode): Promise<void>;
  /** Each run's argv and pid, in order. */
  runs(): Promise<Array<{ argv: string[]; pid: number }>>;
  remove(): Promise<void>;
}

export async function installFakeAz(): Promise<FakeAz> {
  const dir = await mkdtemp(join(tmpdir(), "credchain-fake-az-"));
  const script = join(dir, "az");
  await writeFile(script, SCRIPT(process.execPath));
  await chmod(script, 0o755);
  const log = join(dir, "runs.log");
  const modeFile = join(dir, "mode");
  await writeFile(modeFile, "success");
  return {
    switchableEnv: () => ({
      ...(process.env as Record<string, string>),
      PATH: `${dir}${delimiter}${process.env["PATH"] ?? ""}`,
      FAKE_AZ_MODE_FILE: modeFile,
      FAKE_AZ_LOG: log,
    }),
    setMode: (mode) => writeFile(modeFile, mode),
    env: (mode) => ({
      ...(process.env as Record<string, string>),
      PATH: `${dir}${delimiter}${process.env["PATH"] ?? ""}`,
      FAKE_AZ_MODE: mode,
      FAKE_AZ_LOG: log,
    }),
    runs: async () => {
      const text = await readFile(log, "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { argv: string[]; pid: number });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

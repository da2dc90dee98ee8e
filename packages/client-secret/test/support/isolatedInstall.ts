import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CORE_ROOT = fileURLToPath(new URL("../../../core", import.meta.url));

/** An application directory outside the workspace, and a way to run a script in it. */
export interface IsolatedInstall extends AsyncDisposable {
  readonly directory: string;
  /** Runs `source` as an ES module in the directory; resolves with its stdout. */
  run(source: string, env?: Record<string, string>): Promise<string>;
  /** Installs a package made of one `index.js` with `source` into the directory's node_modules. */
  addPackage(name: string, source: string): Promise<void>;
}

/**
 * `@credchain/client-secret` (its built dist) installed in a temporary directory outside the
 * workspace, next to `@credchain/core` and nothing else: what an application that never
 * installed an optional peer dependency has. Workspace links cannot show that, because a package
 * another branch adds as a dev dependency would be found there.
 */
export async function isolatedInstall(): Promise<IsolatedInstall> {
  const directory = await mkdtemp(join(tmpdir(), "credchain-isolated-"));
  const scope = join(directory, "node_modules", "@credchain");
  await mkdir(join(scope, "client-secret"), { recursive: true });
  await cp(join(PACKAGE_ROOT, "package.json"), join(scope, "client-secret", "package.json"));
  await cp(join(PACKAGE_ROOT, "dist"), join(scope, "client-secret", "dist"), { recursive: true });
  await symlink(CORE_ROOT, join(scope, "core"), "dir");
  let count = 0;
  return {
    directory,
    async run(source, env = {}) {
      const script = join(directory, `script-${count++}.mjs`);
      await writeFile(script, source);
      return new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          [script],
          { cwd: directory, env: { PATH: process.env["PATH"] ?? "", ...env } },
          (error, stdout, stderr) => {
            if (error === null) resolve(stdout);
            else reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
          },
        );
      });
    },
    async addPackage(name, source) {
      const target = join(directory, "node_modules", ...name.split("/"));
      await mkdir(target, { recursive: true });
      await writeFile(
        join(target, "package.json"),
        JSON.stringify({ name, version: "0.1.0", type: "module", exports: "./index.js" }),
      );
      await writeFile(join(target, "index.js"), source);
    },
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  };
}

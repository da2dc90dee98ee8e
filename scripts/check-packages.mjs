// Checks what ships: publint on every publishable package, and are-the-types-wrong on the packed
// tarball (ESM-only packages are judged with the esm-only profile). Run after `pnpm build`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
// Every package under packages/ and the local authority; private ones are skipped below.
const packages = [
  ...readdirSync(join(root, "packages")).map((name) => `packages/${name}`),
  "test/authority",
];
const bin = (name) => join(root, "node_modules", ".bin", name);
let failed = false;

for (const dir of packages) {
  const path = join(root, dir);
  const { name, private: isPrivate } = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
  if (isPrivate) continue;
  const out = mkdtempSync(join(tmpdir(), "credchain-pack-"));
  try {
    execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: path, stdio: "pipe" });
    const tarball = join(
      out,
      readdirSync(out).find((file) => file.endsWith(".tgz")),
    );
    for (const [tool, args] of [
      ["publint", [tarball, "--strict"]],
      ["attw", [tarball, "--profile", "esm-only", "--format", "table-flipped"]],
    ]) {
      try {
        execFileSync(bin(tool), args, { cwd: path, stdio: "pipe" });
        console.log(`ok   ${tool} ${name}`);
      } catch (error) {
        failed = true;
        console.log(`FAIL ${tool} ${name}\n${error.stdout}${error.stderr}`);
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);

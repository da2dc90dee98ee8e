// Repository hygiene, run by CI: no machine-specific paths in tracked files, and every workspace
// package carries its license, README and npm metadata. Exits non-zero listing every problem.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const problems = [];

// 1. Machine paths: a path on one developer's machine means nothing on a user's, and leaks
//    details of ours. A temp path a test builds at run time (os.tmpdir()) is fine, so a line that
//    calls tmpdir() is not flagged. The path must start a token (not be inside a URL).
const MACHINE_PATH =
  /(?<![\w.:/~-])\/(?:work|root)\/|(?<![\w.:/~-])\/home\/[a-z_][\w.-]*|(?<![\w.:/~-])\/tmp\/[\w.-]+/;
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((file) => file !== "" && file !== "pnpm-lock.yaml" && existsSync(join(root, file)));
for (const file of tracked) {
  const bytes = readFileSync(join(root, file));
  if (bytes.includes(0)) continue; // binary
  const lines = bytes.toString("utf8").split("\n");
  lines.forEach((line, index) => {
    const match = MACHINE_PATH.exec(line);
    if (match === null || /\btmpdir\(\)/.test(line)) return;
    problems.push(
      `${file}:${index + 1}: machine path "${match[0]}"; use a relative path or os.tmpdir()`,
    );
  });
}

// 2. Package metadata: every workspace package says where it lives; every published one ships
//    the license and a README.
const rootLicense = readFileSync(join(root, "LICENSE"), "utf8");
if (!/^MIT License\n\nCopyright \(c\) \d{4} the credchain authors\n/.test(rootLicense)) {
  problems.push('LICENSE: expected the MIT license, "Copyright (c) <year> the credchain authors"');
}
const workspaces = execFileSync("pnpm", ["ls", "-r", "--depth", "-1", "--json"], {
  cwd: root,
  encoding: "utf8",
});
for (const { path } of JSON.parse(workspaces)) {
  const dir = path === root.replace(/\/$/, "") ? "" : path.slice(root.length);
  if (dir === "") continue;
  const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
  const where = `${dir}/package.json`;
  if (manifest.license !== "MIT") problems.push(`${where}: "license" must be "MIT"`);
  const repository = manifest.repository ?? {};
  if (
    repository.url !== "git+https://github.com/credchain/credchain.git" ||
    repository.directory !== dir
  ) {
    problems.push(
      `${where}: "repository" must be { "type": "git", "url": "git+https://github.com/credchain/credchain.git", "directory": "${dir}" }`,
    );
  }
  if (typeof manifest.homepage !== "string" || !manifest.homepage.startsWith("https://")) {
    problems.push(`${where}: add "homepage"`);
  }
  if (typeof manifest.bugs?.url !== "string") problems.push(`${where}: add "bugs": { "url": ... }`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) {
    problems.push(`${where}: add "keywords"`);
  }
  if (manifest.private === true) continue;
  for (const file of ["LICENSE", "README.md"]) {
    if (!existsSync(join(path, file))) problems.push(`${dir}/${file}: missing`);
    if (!(manifest.files ?? []).includes(file))
      problems.push(`${where}: list "${file}" in "files"`);
  }
  // npm shows the README from the tarball, where nothing outside the package exists.
  const readme = existsSync(join(path, "README.md"))
    ? readFileSync(join(path, "README.md"), "utf8")
    : "";
  for (const [link] of readme.matchAll(/\]\(\.\.\/[^)]*\)/g)) {
    problems.push(
      `${dir}/README.md: ${link} leaves the package, so it is broken on npm; link by https URL`,
    );
  }
  if (
    existsSync(join(path, "LICENSE")) &&
    readFileSync(join(path, "LICENSE"), "utf8") !== rootLicense
  ) {
    problems.push(`${dir}/LICENSE: differs from the root LICENSE; copy it`);
  }
}

for (const problem of problems) console.log(problem);
console.log(
  problems.length === 0
    ? "repository checks: ok"
    : `repository checks: ${problems.length} problem(s)`,
);
process.exit(problems.length === 0 ? 0 : 1);

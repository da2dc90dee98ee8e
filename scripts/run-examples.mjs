// Runs every example a README shows, offline: examples/*.mjs, examples/*.sh, examples/*.ts
// (type-checked and compiled with examples/tsconfig.json first; *.test.ts run by vitest) and
// packages/*/examples/*.mjs. Each runs in its own
// process with AZURE_* pointing at one local authority on 127.0.0.1, a private HOME and cache
// directory, and a cache key. A new example is a new file: nothing to register. Run after
// `pnpm build`. Exits non-zero if any example fails or none is found.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const TIMEOUT_IN_MS = 60_000;
const only = process.argv.slice(2);

function filesIn(dir, extensions) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => extensions.some((extension) => file.endsWith(extension)))
    .filter((file) => !file.endsWith(".d.ts"))
    .sort()
    .map((file) => join(dir, file));
}

const examplesDir = join(root, "examples");

// READMEs show the examples' real code: a block right after `<!-- example: examples/x.mjs -->` must
// be that file, minus its leading comment (which says where the block is).
const readmes = [
  "README.md",
  "test/authority/README.md",
  ...readdirSync(join(root, "packages")).map((name) => `packages/${name}/README.md`),
].filter((file) => existsSync(join(root, file)));
const stale = [];
let checked = 0;
const MARKER = /<!-- example: (\S+) -->\s*\n```\w*\n([\s\S]*?)\n```/g;
const withoutHeader = (code) => code.replace(/^(?:(?:\/\/|#).*\n)+\n*/, "").trim();
for (const readme of readmes) {
  for (const [, file, block] of readFileSync(join(root, readme), "utf8").matchAll(MARKER)) {
    checked += 1;
    const path = join(root, file);
    if (!existsSync(path)) stale.push(`${readme}: names ${file}, which does not exist`);
    else if (withoutHeader(readFileSync(path, "utf8")) !== block.trim()) {
      stale.push(
        `${readme}: the block marked ${file} differs from the file; paste the file's code`,
      );
    }
  }
}
for (const problem of stale) console.log(`FAIL ${problem}`);
const typescript = filesIn(examplesDir, [".ts"]).filter((file) => !file.endsWith(".config.ts"));
const scripts = [
  ...filesIn(examplesDir, [".mjs", ".sh"]),
  ...readdirSync(join(root, "packages")).flatMap((name) =>
    filesIn(join(root, "packages", name, "examples"), [".mjs"]),
  ),
];

// TypeScript examples: type-checked with the tsconfig their README shows, then run as compiled.
if (typescript.length > 0) {
  console.log(`tsc -p examples/tsconfig.json (${typescript.length} TypeScript examples)`);
  execFileSync(
    join(root, "node_modules", ".bin", "tsc"),
    ["-p", join(examplesDir, "tsconfig.json")],
    {
      stdio: "inherit",
    },
  );
}
// A *.test.ts example is a vitest test, run as its README says; the others run as compiled.
const compiled = typescript.map((file) => ({
  source: file,
  run: file.endsWith(".test.ts")
    ? file
    : join(examplesDir, "dist", relative(examplesDir, file).replace(/\.ts$/, ".js")),
}));
const examples = [...scripts.map((file) => ({ source: file, run: file })), ...compiled].filter(
  (example) => only.length === 0 || only.some((name) => example.source.includes(name)),
);
if (examples.length === 0) {
  console.error("run-examples: no example found");
  process.exit(1);
}

const { startAuthority, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } = await import(
  new URL("../test/authority/dist/index.js", import.meta.url).href
);
const authority = await startAuthority();
const scratch = mkdtempSync(join(tmpdir(), "credchain-examples-"));

function run(example, index) {
  const home = join(scratch, `home-${index}`);
  const env = {
    // The workspace's bins first: shell examples run `credchain` as an installed user would.
    PATH: `${join(examplesDir, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    HOME: home,
    AZURE_AUTHORITY_HOST: authority.url,
    AZURE_TENANT_ID: DEMO_TENANT_ID,
    AZURE_CLIENT_ID: DEMO_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    CREDCHAIN_CACHE_DIR: join(home, "cache"),
    CREDCHAIN_CACHE_KEY: randomBytes(32).toString("base64"),
  };
  return new Promise((resolve) => {
    const started = performance.now();
    const command = example.run.endsWith(".sh")
      ? ["bash", [example.run]]
      : example.run.endsWith(".test.ts")
        ? [
            join(root, "node_modules", ".bin", "vitest"),
            ["run", "--config", join(examplesDir, "vitest.config.ts"), example.run],
          ]
        : [process.execPath, [example.run]];
    const child = spawn(command[0], command[1], {
      cwd: join(example.run, ".."),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_IN_MS);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, ms: Math.round(performance.now() - started) });
    });
  });
}

let failed = stale.length;
try {
  for (const [index, example] of examples.entries()) {
    const name = relative(root, example.source);
    const result = await run(example, index);
    if (result.code === 0) {
      console.log(`ok   ${name} (${result.ms} ms)`);
    } else {
      failed += 1;
      const why =
        result.signal === "SIGKILL"
          ? `timed out after ${TIMEOUT_IN_MS} ms`
          : `exit ${result.code ?? result.signal}`;
      console.log(`FAIL ${name}: ${why}\n${result.output.replace(/^/gm, "     ")}`);
    }
  }
} finally {
  await authority.close();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  `examples: ${examples.length - failed + stale.length} passed, ${failed - stale.length} failed; ${checked} README blocks checked, ${stale.length} out of date`,
);
process.exit(failed === 0 ? 0 : 1);

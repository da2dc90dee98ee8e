import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { RegisteredClient } from "./clients.js";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "./constants.js";
import { startAuthority } from "./startAuthority.js";

const USAGE = `Usage: credchain-authority [options]

Runs a local Entra-compatible token authority on 127.0.0.1 until Ctrl+C.

Options:
  --port N                       Port to listen on (default: a free port)
  --https                        Serve HTTPS with a generated self-signed certificate
  --cert-file PATH               Where to write that certificate (default: a temp file)
  --client ID:SECRET[:T1,T2]     Register a client, optionally only in tenants T1,T2
                                 (repeatable; default: the demo client)
  --tenant ID                    Tenant id to print in the example configuration
  --token-lifetime SECONDS       Lifetime of issued tokens (default: 3599)
  --issuer v2|v1                 Token issuer: v2 (default) or v1 (https://sts.windows.net/{tenant}/,
                                 ver 1.0, as Azurite's --oauth basic requires)
  -v, --version                  Print the version
  -h, --help                     Show this help
`;

/** The package's own version, read from its package.json (dist/ and src/ sit beside it). */
async function packageVersion(): Promise<string> {
  const text = await readFile(new URL("../package.json", import.meta.url), "utf8");
  const { version } = JSON.parse(text) as { version?: unknown };
  if (typeof version !== "string") throw new Error("package.json has no version");
  return version;
}

function parseIssuer(value: string | undefined): "v1" | "v2" | undefined {
  if (value === undefined || value === "v1" || value === "v2") return value;
  throw new Error("--issuer expects v1 or v2");
}

function parseClient(spec: string): RegisteredClient {
  const [clientId, clientSecret, tenants] = spec.split(":");
  if (
    clientId === undefined ||
    clientId === "" ||
    clientSecret === undefined ||
    clientSecret === ""
  ) {
    throw new Error(`--client expects ID:SECRET[:TENANT,...], got "${spec}"`);
  }
  return tenants === undefined || tenants === ""
    ? { clientId, clientSecret }
    : { clientId, clientSecret, tenants: tenants.split(",") };
}

function parseInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} expects a non-negative integer`);
  return n;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      https: { type: "boolean", default: false },
      "cert-file": { type: "string" },
      client: { type: "string", multiple: true },
      tenant: { type: "string" },
      "token-lifetime": { type: "string" },
      issuer: { type: "string" },
      version: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.version) {
    process.stdout.write(`${await packageVersion()}\n`);
    return;
  }
  const issuer = parseIssuer(values.issuer);
  const clients = (values.client ?? []).map(parseClient);
  const port = parseInteger(values.port, "--port");
  const tokenLifetimeInSeconds = parseInteger(values["token-lifetime"], "--token-lifetime");
  const authority = await startAuthority({
    https: values.https,
    ...(port !== undefined ? { port } : {}),
    ...(clients.length > 0 ? { clients } : {}),
    ...(tokenLifetimeInSeconds !== undefined ? { tokenLifetimeInSeconds } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
  });

  let certFile: string | undefined;
  if (authority.certificate !== undefined) {
    certFile = values["cert-file"] ?? join(tmpdir(), `credchain-authority-${authority.port}.pem`);
    await writeFile(certFile, authority.certificate);
  }

  const client = clients[0] ?? { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET };
  const tenant = values.tenant ?? client.tenants?.[0] ?? DEMO_TENANT_ID;
  // Printing the secret is deliberate: it is a local demo value the user chose or the default.
  const lines = [
    `credchain local authority listening on ${authority.url}`,
    "",
    `  authority:      ${authority.url}`,
    `  token endpoint: ${authority.tokenEndpoint(tenant)}`,
    `  tenant id:      ${tenant}`,
    `  client id:      ${client.clientId}`,
    `  client secret:  ${client.clientSecret}`,
    ...(certFile !== undefined ? [`  certificate:    ${certFile}`] : []),
    "",
    "Environment for EnvironmentCredential:",
    `  AZURE_AUTHORITY_HOST=${authority.url}`,
    `  AZURE_TENANT_ID=${tenant}`,
    `  AZURE_CLIENT_ID=${client.clientId}`,
    `  AZURE_CLIENT_SECRET=${client.clientSecret}`,
    ...(certFile !== undefined ? [`  NODE_EXTRA_CA_CERTS=${certFile}`] : []),
    "",
    "Press Ctrl+C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await authority.close();
      // Only remove a certificate file this process chose; a user-given path is theirs.
      if (certFile !== undefined && values["cert-file"] === undefined) {
        await rm(certFile, { force: true });
      }
    })().catch((err: unknown) => {
      process.stderr.write(`credchain-authority: ${String(err)}\n`);
      process.exitCode = 1;
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/**
 * Runs the `credchain-authority` command line with `args` (the arguments after the program name)
 * until SIGINT or SIGTERM. Errors are printed to stderr and set `process.exitCode` to 1; the
 * returned promise never rejects. `credchain authority` (in `@credchain/cli`) runs this too.
 */
export function runAuthorityCli(args: string[]): Promise<void> {
  return main(args).catch((err: unknown) => {
    process.stderr.write(
      `credchain-authority: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}

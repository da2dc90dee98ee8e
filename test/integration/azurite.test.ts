// End to end against a real Azure service emulator: Azurite's blob service (OAuth "basic" mode,
// HTTPS) driven by the real @azure/storage-blob client, authenticated by a credchain
// ClientSecretCredential against the local authority issuing v1 tokens, as Entra does for Storage.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PipelineOptions } from "@azure/core-rest-pipeline";
import { BlobServiceClient, type StoragePipelineOptions } from "@azure/storage-blob";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ACCOUNT = "devstoreaccount1";
const here = dirname(fileURLToPath(import.meta.url));

/**
 * Azurite's flags. `--oauth basic` checks a bearer token's issuer, audience and lifetime (not its
 * signature) and needs HTTPS; `--disableTelemetry` keeps it from phoning home (the guard below
 * proves it); `--skipApiVersionCheck` lets a storage-blob newer than the emulator talk to it.
 */
function azuriteArgs(certFile: string, keyFile: string): string[] {
  return [
    "--blobHost",
    "127.0.0.1",
    "--blobPort",
    "0",
    "--oauth",
    "basic",
    "--cert",
    certFile,
    "--key",
    keyFile,
    // Nothing on disk; what little Azurite writes anyway goes to its cwd, the test's temp dir.
    "--inMemoryPersistence",
    "--extentMemoryLimit",
    "64",
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--silent",
  ];
}

/** Resolves with Azurite's URL once it prints that it listens (it was given port 0). */
async function listeningUrl(child: ChildProcess): Promise<string> {
  let output = "";
  return new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const match = /successfully listens on (https:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("exit", (code) =>
      reject(new Error(`Azurite exited (${String(code)}) before listening:\n${output}`)),
    );
    child.once("error", reject);
  });
}

describe("Azurite blob service with @azure/storage-blob and a credchain credential", () => {
  let authority: LocalAuthority;
  let azurite: ChildProcess | undefined;
  let workDir: string;
  let outboundLog: string;
  let accountUrl: string;
  let ca: string;

  beforeAll(async () => {
    authority = await startAuthority({ issuer: "v1" });
    workDir = await mkdtemp(join(tmpdir(), "credchain-azurite-"));
    outboundLog = join(workDir, "outbound.log");
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    ca = pems.cert;
    const certFile = join(workDir, "cert.pem");
    const keyFile = join(workDir, "key.pem");
    await writeFile(certFile, pems.cert);
    await writeFile(keyFile, pems.private, { mode: 0o600 });

    const azuriteBlob = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
    azurite = spawn(
      process.execPath,
      [
        "--import",
        pathToFileURL(join(here, "fixtures", "denyOutbound.mjs")).href,
        azuriteBlob,
        ...azuriteArgs(certFile, keyFile),
      ],
      {
        cwd: workDir,
        stdio: ["ignore", "pipe", "pipe"],
        env: { PATH: process.env.PATH ?? "", CREDCHAIN_OUTBOUND_LOG: outboundLog },
      },
    );
    accountUrl = `${await listeningUrl(azurite)}/${ACCOUNT}`;
  });

  afterAll(async () => {
    if (azurite !== undefined && azurite.exitCode === null && azurite.signalCode === null) {
      const exited = once(azurite, "exit");
      azurite.kill("SIGKILL");
      await exited;
    }
    await authority.close();
    await rm(workDir, { recursive: true, force: true });
  });

  function demoCredential(authorityUrl: string): ClientSecretCredential {
    return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
      authority: authorityUrl,
    });
  }

  /** The SDK's own pipeline and transport, trusting exactly this test's certificate. */
  function blobOptions(): StoragePipelineOptions & Pick<PipelineOptions, "tlsOptions"> {
    return { tlsOptions: { ca }, retryOptions: { maxTries: 1 } };
  }

  it("creates a container, uploads, downloads and deletes with one token request", async () => {
    await using credential = demoCredential(authority.url);
    const service = new BlobServiceClient(accountUrl, credential, blobOptions());
    const container = service.getContainerClient("credchain-e2e");
    await container.create();

    const body = "hello from credchain";
    const blob = container.getBlockBlobClient("greeting.txt");
    await blob.upload(body, Buffer.byteLength(body));
    const names: string[] = [];
    for await (const item of container.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(["greeting.txt"]);
    expect((await blob.downloadToBuffer()).toString("utf8")).toBe(body);

    await blob.delete();
    await container.delete();
    expect(await container.exists()).toBe(false);

    expect(authority.tokenRequestCount()).toBe(1);
    const [request] = authority.requests;
    expect(request).toMatchObject({
      tenant: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      scopes: ["https://storage.azure.com/.default"],
      status: 200,
    });
  });

  it("is refused by Azurite with a v2 token (so the v1 issuer is what made it pass)", async () => {
    await using v2Authority = await startAuthority();
    await using credential = demoCredential(v2Authority.url);
    const service = new BlobServiceClient(accountUrl, credential, blobOptions());
    await expect(service.getContainerClient("credchain-v2").create()).rejects.toMatchObject({
      statusCode: 403,
      code: "AuthenticationFailed",
      details: { authenticationErrorDetail: "Invalid token issuer." },
    });
  });

  it("verifies Azurite's certificate: without the test CA the request fails", async () => {
    await using credential = demoCredential(authority.url);
    const before = authority.tokenRequestCount();
    const service = new BlobServiceClient(accountUrl, credential, {
      retryOptions: { maxTries: 1 },
    });
    await expect(service.getContainerClient("credchain-untrusted").create()).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
    expect(authority.tokenRequestCount()).toBe(before + 1);
  });

  it("made no outbound connection (telemetry is off)", async () => {
    const attempts = await readFile(outboundLog, "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return "";
      throw err;
    });
    expect(attempts).toBe("");
  });
});

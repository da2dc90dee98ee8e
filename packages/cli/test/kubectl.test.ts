import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { environmentCase } from "./support/credentialCases.js";
import { BIN } from "./support/runCredchain.js";
import { tempDirectory } from "./support/tempHome.js";

const KUBECTL = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((path) => existsSync(path));
// The AKS server app id: what `kubelogin` asks Entra for.
const SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";
const PODS = { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: [] };

let authority: LocalAuthority;
let server: Server;
let apiServer: string;
let certificate: string;
const seen: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  authority = await startAuthority();
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      {
        name: "keyUsage",
        digitalSignature: true,
        keyEncipherment: true,
        keyCertSign: true,
        critical: true,
      },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  certificate = pems.cert;
  // Plays the Kubernetes API: one list, and 401 without the right bearer, as an API server does.
  server = createServer({ cert: pems.cert, key: pems.private }, (request, response) => {
    seen.push({ path: request.url ?? "", authorization: request.headers.authorization });
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
    const claims =
      bearer === undefined
        ? undefined
        : (JSON.parse(
            Buffer.from(bearer.split(".")[1] ?? "", "base64url").toString("utf8"),
          ) as Record<string, unknown>);
    response.setHeader("content-type", "application/json");
    if (claims?.["aud"] !== "6dae42f8-4368-4678-94ff-3960e28e3630") {
      response.statusCode = 401;
      response.end(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          status: "Failure",
          reason: "Unauthorized",
          code: 401,
        }),
      );
      return;
    }
    response.end(JSON.stringify(PODS));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  apiServer = `https://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await authority?.close();
});

async function kubeconfig(directory: string, execApiVersion: string): Promise<string> {
  const path = join(directory, "kubeconfig");
  const env = Object.entries(environmentCase.env(authority)).map(([name, value]) => ({
    name,
    value,
  }));
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "local",
        cluster: {
          server: apiServer,
          "certificate-authority-data": Buffer.from(certificate).toString("base64"),
        },
      },
    ],
    users: [
      {
        name: "credchain",
        user: {
          exec: {
            apiVersion: execApiVersion,
            command: process.execPath,
            args: [
              BIN,
              "token",
              "--credential",
              "environment",
              "--scope",
              SCOPE,
              "--output",
              "exec-credential",
            ],
            env,
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
    contexts: [{ name: "local", context: { cluster: "local", user: "credchain" } }],
    "current-context": "local",
  };
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

// CI installs kubectl (scripts/ensure-system-deps.sh), so there a missing one fails instead.
describe.skipIf(KUBECTL === undefined && process.env["CI"] === undefined)(
  "kubectl with credchain as its exec credential plugin",
  () => {
    it.each(["client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1"])(
      "kubectl get pods sends the token credchain printed (%s)",
      async (execApiVersion) => {
        const home = await tempDirectory();
        const config = await kubeconfig(home, execApiVersion);
        seen.length = 0;
        authority.resetLog();
        // Only 127.0.0.1 is in the kubeconfig, and HOME is empty: nothing else to contact.
        const { stdout } = await promisify(execFile)(
          KUBECTL ?? "kubectl",
          ["--kubeconfig", config, "get", "--raw", "/api/v1/namespaces/default/pods"],
          {
            env: {
              PATH: process.env["PATH"] ?? "",
              HOME: home,
              KUBECONFIG: config,
              NO_PROXY: "127.0.0.1",
            },
          },
        );
        expect(JSON.parse(stdout)).toEqual(PODS);
        expect(authority.tokenRequestCount()).toBe(1);
        const pods = seen.filter((request) =>
          request.path.startsWith("/api/v1/namespaces/default/pods"),
        );
        expect(pods).toHaveLength(1);
        expect(pods[0]?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      },
    );
  },
);

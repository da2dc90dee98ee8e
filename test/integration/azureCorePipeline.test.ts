// Interoperability: an Azure SDK pipeline's bearerTokenAuthenticationPolicy takes our credential,
// and the request arrives at a loopback HTTPS server with our token.
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("@azure/core-rest-pipeline bearerTokenAuthenticationPolicy", () => {
  let authority: LocalAuthority;
  let resource: Server;
  let resourceUrl: string;
  let ca: string;
  const received: Array<string | undefined> = [];

  beforeAll(async () => {
    authority = await startAuthority();
    const pems = await generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    ca = pems.cert;
    resource = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      received.push(req.headers.authorization);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => resource.listen(0, "127.0.0.1", resolve));
    resourceUrl = `https://127.0.0.1:${(resource.address() as AddressInfo).port}/subscriptions`;
  });

  afterAll(async () => {
    await new Promise((resolve) => resource.close(resolve));
    await authority.close();
  });

  // The SDK's default client cannot be told about a test CA after start-up, so this client sends
  // the pipeline's request over real TLS with that CA: the policy under test is the SDK's own.
  const tlsClient: HttpClient = {
    sendRequest: (request: PipelineRequest) =>
      new Promise<PipelineResponse>((resolve, reject) => {
        const req = httpsRequest(
          request.url,
          { method: request.method, headers: request.headers.toJSON(), ca },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                request,
                status: res.statusCode ?? 0,
                headers: createHttpHeaders(res.headers as Record<string, string>),
                bodyAsText: Buffer.concat(chunks).toString(),
              }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      }),
  };

  it("sends Authorization: Bearer <our token>", async () => {
    const credential = new ClientSecretCredential("tenant-a", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
      authority: authority.url,
    });
    // The policy asks with enableCae: true (CAE-capable since core-rest-pipeline 1.15), so our
    // token for comparison comes from the same cache partition.
    const ours = await credential.getToken("https://management.azure.com/.default", {
      enableCae: true,
    });
    const pipeline = createEmptyPipeline();
    pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential,
        scopes: "https://management.azure.com/.default",
      }),
    );
    const response = await pipeline.sendRequest(
      tlsClient,
      createPipelineRequest({ url: resourceUrl }),
    );
    expect(response.status).toBe(200);
    expect(received).toEqual([`Bearer ${ours.token}`]);
    expect(authority.tokenRequestCount()).toBe(1);
    await credential.close();
  });
});

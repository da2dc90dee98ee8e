// Interoperability: @azure/core-rest-pipeline's HTTP client as credchain's transport (how an
// application would get the Azure SDK's proxy and TLS settings), and what its errors carry.
import { createServer } from "node:net";
import { inspect } from "node:util";
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@credchain/client-secret";
import { rootContainer, Tokens, type HttpTransport } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCOPE = "https://vault.azure.net/.default";

/** credchain's transport interface, answered by the Azure SDK's default HTTP client. */
function azureCoreTransport(): HttpTransport {
  const client = createDefaultHttpClient();
  return {
    async send(request) {
      const response = await client.sendRequest(
        createPipelineRequest({
          url: request.url,
          method: request.method as "POST",
          headers: createHttpHeaders(request.headers),
          ...(request.body === undefined ? {} : { body: request.body }),
          ...(request.signal === undefined ? {} : { abortSignal: request.signal }),
          allowInsecureConnection: new URL(request.url).protocol === "http:",
        }),
      );
      return {
        status: response.status,
        headers: response.headers.toJSON(),
        body: response.bodyAsText ?? "",
      };
    },
  };
}

function containerWith(transport: HttpTransport): typeof rootContainer {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.HttpTransport, { useValue: transport });
  return container;
}

/** Every string reachable from `value` through own data properties, enumerable or not. */
function reachableText(value: unknown, seen = new Set<object>()): string {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null || seen.has(value)) return "";
  seen.add(value);
  const parts: string[] = [];
  if (value instanceof Map)
    for (const item of value.values()) parts.push(reachableText(item, seen));
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor !== undefined && "value" in descriptor) {
      parts.push(reachableText(descriptor.value, seen));
    }
  }
  return parts.join("\n");
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("@azure/core-rest-pipeline's HttpClient as the transport", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority();
  });

  afterAll(async () => {
    await authority.close();
  });

  it("gets tokens through it", async () => {
    const credential = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      { authority: authority.url, container: containerWith(azureCoreTransport()) },
    );
    const token = await credential.getToken(SCOPE);
    expect(token.token.split(".")).toHaveLength(3);
    expect(authority.tokenRequestCount()).toBe(1);
    await credential.close();
  });

  it("keeps the secret out of the error when the connection fails: RestError.request holds the form body", async () => {
    const secret = "azure-core~transport.SECRET_42";
    const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
      authority: `http://127.0.0.1:${await closedPort()}`,
      container: containerWith(azureCoreTransport()),
      retryOptions: { maxRetries: 0 },
    });
    const error = await credential.getToken(SCOPE).then(
      () => expect.fail("expected the request to fail"),
      (failure: unknown) => failure as Error & { cause?: { name?: string; code?: string } },
    );
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.cause?.name).toBe("RestError");
    expect(error.cause?.code).toBe("ECONNREFUSED");
    const text = [
      reachableText(error),
      inspect(error, { depth: Infinity, showHidden: true }),
      inspect(error, { depth: Infinity, customInspect: false }),
    ].join("\n");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(error.cause).not.toHaveProperty("request"); // the request RestError held stays behind
    await credential.close();
  });
});

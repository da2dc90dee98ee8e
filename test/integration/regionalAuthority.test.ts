// Regional endpoints (ESTS-R) end to end: ClientSecretCredential sends to the regional host
// first and falls back to the global one when the regional host is down (5xx) or unreachable,
// reported in an event. Two local authorities stand in for the regional and the global host: a
// test transport maps the real Entra origins to them (plain fetch, on 127.0.0.1), so the URLs
// the credential builds are the real ones and nothing leaves this machine.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  credentialEvents,
  rootContainer,
  Tokens,
  type HttpTransport,
  type RegionalFallbackEvent,
} from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closedPort } from "./support/proxies.js";

const SCOPE = "https://vault.azure.net/.default";
let regional: LocalAuthority;
let global: LocalAuthority;
let imds: Server;
let imdsRequests = 0;
let sent: string[] = [];
let queries: string[] = [];
let deadRegionalPort: number;

/** Maps Entra's origins to the local authorities; records the origin the credential chose. */
function mappingTransport(routes: Record<string, string>): HttpTransport {
  return {
    async send(request) {
      const url = new URL(request.url);
      sent.push(url.origin);
      queries.push(url.search);
      const target = routes[url.origin];
      if (target === undefined) throw new Error(`test transport: no route for ${url.origin}`);
      const response = await fetch(`${target}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    },
  };
}

/** `maxRetries` is 0 here unless given; `"default"` leaves the credential's own (3 retries). */
function credential(
  routes: Record<string, string>,
  regionalAuthority?: string,
  maxRetries: number | "default" = 0,
) {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.HttpTransport, { useValue: mappingTransport(routes) });
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    container,
    ...(maxRetries === "default" ? {} : { retryOptions: { maxRetries } }),
    ...(regionalAuthority === undefined ? {} : { regionalAuthority }),
  });
}

/** How many of the requests the transport saw went to `origin`. */
function sentTo(origin: string): number {
  return sent.filter((each) => each === origin).length;
}

beforeAll(async () => {
  regional = await startAuthority();
  global = await startAuthority();
  deadRegionalPort = await closedPort();
  // IMDS on loopback (never 169.254.169.254): region detection reads AZURE_POD_IDENTITY_AUTHORITY_HOST.
  imds = createServer((_request, response) => {
    imdsRequests++;
    response.end("westus2");
  });
  await new Promise<void>((resolve) => imds.listen(0, "127.0.0.1", resolve));
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  await new Promise<void>((resolve) => imds.close(() => resolve()));
  await regional.close();
  await global.close();
});
beforeEach(() => {
  sent = [];
  queries = [];
  regional.clearFaults();
  global.clearFaults();
});

const WESTUS2 = "https://westus2.login.microsoft.com";
const GLOBAL = "https://login.microsoftonline.com";

describe("regional authority (ESTS-R)", () => {
  it("an explicit region goes to <region>.login.microsoft.com, without asking IMDS", async () => {
    await using cred = credential({ [WESTUS2]: regional.url, [GLOBAL]: global.url }, "westus2");
    const before = regional.tokenRequestCount();
    await cred.getToken(SCOPE);
    expect(sent).toEqual([WESTUS2]);
    // MSAL's flag for a regional host serving a client that is not a managed identity.
    expect(queries).toEqual(["?allowestsrnonmsi=true"]);
    expect(regional.tokenRequestCount() - before).toBe(1);
    expect(imdsRequests).toBe(0);
  });

  it("a regional host answering 5xx falls back to the global one, reported in an event", async () => {
    regional.setOutage(true);
    await using cred = credential({ [WESTUS2]: regional.url, [GLOBAL]: global.url }, "westus2");
    const local: RegionalFallbackEvent[] = [];
    const everywhere: RegionalFallbackEvent[] = [];
    const listener = (event: RegionalFallbackEvent) => everywhere.push(event);
    cred.events.on("token:regional-fallback", (event) => local.push(event));
    credentialEvents.on("token:regional-fallback", listener);
    try {
      const beforeGlobal = global.tokenRequestCount();
      const { token } = await cred.getToken(SCOPE);
      expect(token.split(".")).toHaveLength(3);
      expect(sent).toEqual([WESTUS2, GLOBAL]);
      expect(queries).toEqual(["?allowestsrnonmsi=true", ""]);
      expect(global.tokenRequestCount() - beforeGlobal).toBe(1);
      expect(local).toMatchObject([
        {
          credential: "ClientSecretCredential",
          tenantId: DEMO_TENANT_ID,
          region: "westus2",
          regionalAuthority: WESTUS2,
          authority: GLOBAL,
          statusCode: 500,
        },
      ]);
      expect(everywhere).toHaveLength(1);
      expect(JSON.stringify(local)).not.toContain(DEMO_CLIENT_SECRET);
    } finally {
      credentialEvents.off("token:regional-fallback", listener);
    }
  });

  it("an unreachable regional host falls back to the global one", async () => {
    await using cred = credential(
      { [WESTUS2]: `http://127.0.0.1:${deadRegionalPort}`, [GLOBAL]: global.url },
      "westus2",
    );
    const events: RegionalFallbackEvent[] = [];
    cred.events.on("token:regional-fallback", (event) => events.push(event));
    await cred.getToken(SCOPE);
    expect(sent).toEqual([WESTUS2, GLOBAL]);
    expect(events).toHaveLength(1);
    expect(events[0]!.statusCode).toBeUndefined();
  });

  // With the default retry policy (3 retries), the regional host is tried once, not 4 times:
  // the global host is the retry.
  it("a regional host answering 5xx gets one attempt (not 4) before the global one answers", async () => {
    regional.setOutage(true);
    await using cred = credential(
      { [WESTUS2]: regional.url, [GLOBAL]: global.url },
      "westus2",
      "default",
    );
    const events: RegionalFallbackEvent[] = [];
    cred.events.on("token:regional-fallback", (event) => events.push(event));
    const beforeRegional = regional.tokenRequestCount();
    const beforeGlobal = global.tokenRequestCount();
    const { token } = await cred.getToken(SCOPE);
    expect(token.split(".")).toHaveLength(3);
    expect(regional.tokenRequestCount() - beforeRegional).toBe(1);
    expect(global.tokenRequestCount() - beforeGlobal).toBe(1);
    expect(sent).toEqual([WESTUS2, GLOBAL]);
    expect(events).toMatchObject([
      { regionalAuthority: WESTUS2, authority: GLOBAL, statusCode: 500 },
    ]);
  });

  it("an unreachable regional host (closed port) gets one attempt (not 4) before the global one answers", async () => {
    await using cred = credential(
      { [WESTUS2]: `http://127.0.0.1:${deadRegionalPort}`, [GLOBAL]: global.url },
      "westus2",
      "default",
    );
    const events: RegionalFallbackEvent[] = [];
    cred.events.on("token:regional-fallback", (event) => events.push(event));
    const beforeGlobal = global.tokenRequestCount();
    const { token } = await cred.getToken(SCOPE);
    expect(token.split(".")).toHaveLength(3);
    expect(sentTo(WESTUS2)).toBe(1);
    expect(global.tokenRequestCount() - beforeGlobal).toBe(1);
    expect(sent).toEqual([WESTUS2, GLOBAL]);
    expect(events).toHaveLength(1);
    expect(events[0]!.statusCode).toBeUndefined();
  });

  it("after the fallback, the global host keeps the normal retry policy", async () => {
    regional.setOutage(true);
    global.enqueueFaults([{ kind: "status", status: 503 }]);
    await using cred = credential(
      { [WESTUS2]: regional.url, [GLOBAL]: global.url },
      "westus2",
      "default",
    );
    const beforeRegional = regional.tokenRequestCount();
    const beforeGlobal = global.tokenRequestCount();
    await cred.getToken(SCOPE);
    expect(regional.tokenRequestCount() - beforeRegional).toBe(1);
    expect(global.tokenRequestCount() - beforeGlobal).toBe(2);
    expect(sent).toEqual([WESTUS2, GLOBAL, GLOBAL]);
  });

  it("requestTimeoutInMs covers the whole acquisition, the fallback included", async () => {
    regional.setOutage(true);
    global.setFaults([{ kind: "hang" }]);
    const container = rootContainer.createChildContainer();
    container.register(Tokens.HttpTransport, {
      useValue: mappingTransport({ [WESTUS2]: regional.url, [GLOBAL]: global.url }),
    });
    await using cred = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      { container, regionalAuthority: "westus2", requestTimeoutInMs: 300 },
    );
    const beforeRegional = regional.tokenRequestCount();
    const beforeGlobal = global.tokenRequestCount();
    await expect(cred.getToken(SCOPE)).rejects.toMatchObject({
      name: "TimeoutError",
      message: expect.stringContaining("requestTimeoutInMs"),
    });
    expect(regional.tokenRequestCount() - beforeRegional).toBe(1);
    // The global host's one attempt was cut short by the deadline, and not retried.
    expect(global.tokenRequestCount() - beforeGlobal).toBe(1);
    expect(sent).toEqual([WESTUS2, GLOBAL]);
  });

  it("a regional 429 is retried at the regional host (throttling is no reason to fall back)", async () => {
    regional.enqueueFaults([{ kind: "status", status: 429, retryAfter: 0 }]);
    await using cred = credential(
      { [WESTUS2]: regional.url, [GLOBAL]: global.url },
      "westus2",
      "default",
    );
    const events: RegionalFallbackEvent[] = [];
    cred.events.on("token:regional-fallback", (event) => events.push(event));
    const beforeRegional = regional.tokenRequestCount();
    await cred.getToken(SCOPE);
    expect(regional.tokenRequestCount() - beforeRegional).toBe(2);
    expect(sent).toEqual([WESTUS2, WESTUS2]);
    expect(events).toEqual([]);
  });

  it("a 4xx from the regional host is Entra's answer: no fallback", async () => {
    await using cred = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, "wrong-secret", {
      container: (() => {
        const container = rootContainer.createChildContainer();
        container.register(Tokens.HttpTransport, {
          useValue: mappingTransport({ [WESTUS2]: regional.url, [GLOBAL]: global.url }),
        });
        return container;
      })(),
      regionalAuthority: "westus2",
    });
    await expect(cred.getToken(SCOPE)).rejects.toMatchObject({ statusCode: 401 });
    expect(sent).toEqual([WESTUS2]);
  });

  it("TryAutoDetect asks IMDS (loopback here) once per process and uses the region it names", async () => {
    const routes = { [WESTUS2]: regional.url, [GLOBAL]: global.url };
    await using first = credential(routes, "TryAutoDetect");
    await using second = credential(routes, "TryAutoDetect");
    await first.getToken(SCOPE);
    await second.getToken(SCOPE);
    expect(sent).toEqual([WESTUS2, WESTUS2]);
    expect(imdsRequests).toBe(1);
  });

  it("the US Government cloud gets its own regional host, not login.microsoft.com", async () => {
    const gov = "https://login.microsoftonline.us";
    const govRegional = "https://usgovvirginia.login.microsoftonline.us";
    const container = rootContainer.createChildContainer();
    container.register(Tokens.HttpTransport, {
      useValue: mappingTransport({ [govRegional]: regional.url, [gov]: global.url }),
    });
    await using cred = new ClientSecretCredential(
      DEMO_TENANT_ID,
      DEMO_CLIENT_ID,
      DEMO_CLIENT_SECRET,
      {
        container,
        authority: gov,
        regionalAuthority: "usgovvirginia",
      },
    );
    await cred.getToken(SCOPE);
    expect(sent).toEqual([govRegional]);
  });

  it("a region on an authority without regional endpoints is refused at construction", () => {
    expect(
      () =>
        new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
          authority: global.url,
          regionalAuthority: "westus2",
        }),
    ).toThrow(/no regional endpoint is known for 127\.0\.0\.1/);
  });
});

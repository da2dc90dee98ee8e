import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/index.js";
import {
  parseRegionSetting,
  planRegionalAuthority,
  regionalAuthorityHost,
} from "../src/entra/regionalAuthority.js";
import {
  regionalRetryPolicy,
  shouldFallBack,
  withRegionalFallback,
} from "../src/entra/regionalFallback.js";
import { RegionDetector } from "../src/entra/RegionDetector.js";
import { ClientAuthenticationError } from "../src/errors/ClientAuthenticationError.js";
import { startTestServer, type TestServer } from "./support/testServer.js";
import { until } from "./support/until.js";

describe("regional host formation", () => {
  it.each([
    ["https://login.microsoftonline.com", "westus2", "https://westus2.login.microsoft.com"],
    ["https://login.microsoft.com", "westus2", "https://westus2.login.microsoft.com"],
    ["https://login.windows.net", "eastus", "https://eastus.login.microsoft.com"],
    ["https://sts.windows.net", "eastus", "https://eastus.login.microsoft.com"],
    ["https://login.chinacloudapi.cn", "chinanorth3", "https://chinanorth3.login.chinacloudapi.cn"],
    [
      "https://login.microsoftonline.us",
      "usgovvirginia",
      "https://usgovvirginia.login.microsoftonline.us",
    ],
    [
      "https://login.usgovcloudapi.net",
      "usgovtexas",
      "https://usgovtexas.login.microsoftonline.us",
    ],
    [
      "https://login.microsoftonline.com:8443",
      "westus2",
      "https://westus2.login.microsoft.com:8443",
    ],
  ])("%s in %s -> %s", (authority, region, expected) => {
    expect(regionalAuthorityHost(authority, region)).toBe(expected);
  });

  it.each([
    "https://login.contoso.com",
    "https://login.microsoftonline.de",
    "https://evil.login.microsoftonline.com",
    "http://127.0.0.1:8080",
    "http://login.microsoftonline.com",
  ])("refuses to prefix a host it does not know: %s", (authority) => {
    expect(regionalAuthorityHost(authority, "westus2")).toBeUndefined();
  });
});

describe("the regionalAuthority setting", () => {
  it("the option wins over AZURE_REGIONAL_AUTHORITY_NAME; names are lower-cased", () => {
    expect(parseRegionSetting("WestUS2", "eastus", "C")).toEqual({
      kind: "region",
      region: "westus2",
      source: "option",
    });
    expect(parseRegionSetting(undefined, " eastus ", "C")).toEqual({
      kind: "region",
      region: "eastus",
      source: "environment",
    });
    expect(parseRegionSetting(undefined, undefined, "C")).toEqual({ kind: "none" });
    expect(parseRegionSetting(undefined, "", "C")).toEqual({ kind: "none" });
  });

  it("TryAutoDetect (and @azure/identity's AutoDiscoverRegion) asks for detection", () => {
    expect(parseRegionSetting("TryAutoDetect", undefined, "C")).toEqual({ kind: "detect" });
    expect(parseRegionSetting(undefined, "tryautodetect", "C")).toEqual({ kind: "detect" });
    expect(parseRegionSetting("AutoDiscoverRegion", undefined, "C")).toEqual({ kind: "detect" });
  });

  it("refuses what is not a region name, without quoting it", () => {
    for (const bad of ["west us", "westus2.evil.com", "x", "a".repeat(1000), 42]) {
      let error: unknown;
      try {
        parseRegionSetting(bad, undefined, "ClientSecretCredential");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(
        /^ClientSecretCredential: options\.regionalAuthority/,
      );
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });

  it("an explicit region on an unknown authority: the option is refused, the variable ignored with a warning", () => {
    const option = parseRegionSetting("westus2", undefined, "C");
    expect(() => planRegionalAuthority(option, "https://login.contoso.com", "C")).toThrow(
      /no regional endpoint is known for login\.contoso\.com/,
    );
    const fromEnv = parseRegionSetting(undefined, "westus2", "C");
    const plan = planRegionalAuthority(fromEnv, "http://127.0.0.1:1234", "C");
    expect(plan.kind).toBe("global");
    expect(plan.kind === "global" && plan.warning).toContain(
      "AZURE_REGIONAL_AUTHORITY_NAME is ignored",
    );
    expect(planRegionalAuthority(option, "https://login.microsoftonline.com", "C")).toEqual({
      kind: "region",
      region: "westus2",
      regionalAuthority: "https://westus2.login.microsoft.com",
    });
  });
});

describe("region detection", () => {
  let imds: TestServer | undefined;
  afterEach(async () => {
    await imds?.close();
    imds = undefined;
  });

  it("REGION_NAME wins, and IMDS is not asked", async () => {
    imds = await startTestServer(() => ({ status: 200, body: "eastus" }));
    const detector = new RegionDetector({
      env: { REGION_NAME: "West US 2", AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url },
      clock: new ManualClock(),
    });
    expect(await detector.detect()).toBe("westus2");
    expect(imds.count).toBe(0);
  });

  it("asks IMDS (on loopback here) once, with the Metadata header", async () => {
    imds = await startTestServer(() => ({ status: 200, body: "westeurope\n" }));
    const detector = new RegionDetector({
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url },
      clock: new ManualClock(),
    });
    expect(await Promise.all([detector.detect(), detector.detect()])).toEqual([
      "westeurope",
      "westeurope",
    ]);
    expect(await detector.detect()).toBe("westeurope");
    expect(imds.count).toBe(1);
    expect(imds.requests[0]!.url).toBe(
      "/metadata/instance/compute/location?format=text&api-version=2021-01-01",
    );
    expect(imds.requests[0]!.headers.metadata).toBe("true");
  });

  it("gives IMDS 1 s on the injected clock, then answers 'no region' and does not ask again", async () => {
    imds = await startTestServer(() => "hold");
    const clock = new ManualClock();
    const detector = new RegionDetector({
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url },
      clock,
    });
    const detected = detector.detect();
    await until(() => imds!.count === 1 && clock.pendingSleeps === 1, "the IMDS request");
    clock.advance(999);
    clock.advance(1);
    expect(await detected).toBeUndefined();
    expect(await detector.detect()).toBeUndefined();
    expect(imds.count).toBe(1);
  });

  it("an IMDS error or garbage is 'no region'", async () => {
    imds = await startTestServer((_request, index) =>
      index === 0 ? { status: 500, body: "eastus" } : { status: 200, body: "<html>" },
    );
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url };
    expect(await new RegionDetector({ env, clock: new ManualClock() }).detect()).toBeUndefined();
    expect(await new RegionDetector({ env, clock: new ManualClock() }).detect()).toBeUndefined();
  });
});

describe("regional fallback", () => {
  const unreachable = new ClientAuthenticationError("Could not reach the token endpoint");
  const status = (code: number) =>
    new ClientAuthenticationError(`answered ${code}`, { statusCode: code, errorCode: "x" });

  it("falls back on network failures and 5xx, not on 4xx, aborts or timeouts", () => {
    expect(shouldFallBack(unreachable)).toBe(true);
    expect(shouldFallBack(status(500))).toBe(true);
    expect(shouldFallBack(status(503))).toBe(true);
    expect(shouldFallBack(status(400))).toBe(false);
    expect(shouldFallBack(status(401))).toBe(false);
    expect(
      shouldFallBack(new ClientAuthenticationError("bad json", { errorCode: "invalid_response" })),
    ).toBe(false);
    expect(shouldFallBack(Object.assign(new Error("t"), { name: "TimeoutError" }))).toBe(false);
    expect(shouldFallBack(Object.assign(new Error("a"), { name: "AbortError" }))).toBe(false);
  });

  it("the regional host is not retried for what falls back (network, 5xx); 408 and 429 are", () => {
    const policy = regionalRetryPolicy(3);
    expect(policy.shouldRetry({ attempt: 0 })).toBe(false);
    for (const code of [500, 502, 503, 504]) {
      expect(policy.shouldRetry({ attempt: 0, status: code })).toBe(false);
    }
    expect(policy.shouldRetry({ attempt: 0, status: 400 })).toBe(false);
    expect(policy.shouldRetry({ attempt: 0, status: 429 })).toBe(true);
    expect(policy.shouldRetry({ attempt: 2, status: 408 })).toBe(true);
    expect(policy.shouldRetry({ attempt: 3, status: 429 })).toBe(false);
    expect(regionalRetryPolicy(0).shouldRetry({ attempt: 0, status: 429 })).toBe(false);
    // The pipeline's back-off and Retry-After decide the wait.
    expect("delayInMs" in policy).toBe(false);
  });

  it("sends to the regional host, then the global one, reporting the fallback", async () => {
    const sent: string[] = [];
    const fallbacks: unknown[] = [];
    const result = await withRegionalFallback(
      "https://westus2.login.microsoft.com",
      "https://login.microsoftonline.com",
      async (host) => {
        sent.push(host);
        if (host.includes("westus2")) throw status(503);
        return "token";
      },
      (fallback) => fallbacks.push(fallback),
    );
    expect(result).toBe("token");
    expect(sent).toEqual([
      "https://westus2.login.microsoft.com",
      "https://login.microsoftonline.com",
    ]);
    expect(fallbacks).toMatchObject([
      {
        regionalAuthority: "https://westus2.login.microsoft.com",
        authority: "https://login.microsoftonline.com",
        statusCode: 503,
      },
    ]);
  });

  it("a 4xx from the regional host is the answer: no second request", async () => {
    const sent: string[] = [];
    await expect(
      withRegionalFallback(
        "https://r",
        "https://g",
        async (host) => {
          sent.push(host);
          throw status(401);
        },
        () => {},
      ),
    ).rejects.toMatchObject({ statusCode: 401 });
    expect(sent).toEqual(["https://r"]);
  });
});

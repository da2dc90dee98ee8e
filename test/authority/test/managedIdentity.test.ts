import { readFile, stat } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_SYSTEM_ASSIGNED_IDENTITY,
  DEMO_USER_ASSIGNED_IDENTITY,
  startAuthority,
  type LocalAuthority,
} from "../src/index.js";
import { decodeJwt } from "./helpers.js";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});
afterEach(() => {
  authority.managedIdentity.clearFaults();
  authority.managedIdentity.resetLog();
});

function imds(query: string, headers: Record<string, string> = { metadata: "true" }) {
  return fetch(`${authority.managedIdentity.url("imds")}?${query}`, { headers });
}

describe("IMDS emulator", () => {
  it("issues a signed token for the system-assigned identity", async () => {
    const response = await imds("api-version=2018-02-01&resource=https://vault.azure.net");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: "Bearer", resource: "https://vault.azure.net" });
    expect(typeof body["expires_in"]).toBe("string");
    const { header, payload } = decodeJwt(body["access_token"] ?? "");
    expect(header["alg"]).toBe("RS256");
    expect(payload).toMatchObject({
      aud: "https://vault.azure.net",
      appid: DEMO_SYSTEM_ASSIGNED_IDENTITY.clientId,
      xms_mirid: DEMO_SYSTEM_ASSIGNED_IDENTITY.resourceId,
    });
  });

  it("answers a request without Metadata: true with 400, as real IMDS does", async () => {
    const response = await imds("api-version=2018-02-01&resource=x", {});
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "Required metadata header not specified",
    });
  });

  it("finds a user-assigned identity by msi_res_id, and refuses an unknown one", async () => {
    const id = encodeURIComponent(DEMO_USER_ASSIGNED_IDENTITY.resourceId ?? "");
    const found = await imds(`api-version=2018-02-01&resource=r&msi_res_id=${id}`);
    expect(found.status).toBe(200);
    const missing = await imds("api-version=2018-02-01&resource=r&client_id=nobody");
    expect(missing.status).toBe(400);
  });

  it("plays a 404-then-200 warm-up, and never applies faults to the header-less probe", async () => {
    authority.managedIdentity.enqueueFaults([{ kind: "status", status: 404, source: "imds" }]);
    expect((await imds("api-version=2018-02-01&resource=r", {})).status).toBe(400);
    expect((await imds("api-version=2018-02-01&resource=r")).status).toBe(404);
    expect((await imds("api-version=2018-02-01&resource=r")).status).toBe(200);
  });

  it("drops connections while unreachable", async () => {
    authority.managedIdentity.setUnreachable(true);
    await expect(imds("api-version=2018-02-01&resource=r")).rejects.toThrow();
  });
});

describe("App Service emulator", () => {
  it("requires the identity header and never logs it", async () => {
    const url = `${authority.managedIdentity.url("app-service")}?api-version=2019-08-01&resource=r`;
    expect((await fetch(url)).status).toBe(401);
    const ok = await fetch(url, {
      headers: { "x-identity-header": authority.managedIdentity.identityHeader },
    });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(authority.managedIdentity.requests)).not.toContain(
      authority.managedIdentity.identityHeader,
    );
  });
});

describe("Azure Arc emulator", () => {
  it("challenges with a .key file in its token directory and accepts its secret once", async () => {
    const url = `${authority.managedIdentity.url("azure-arc")}?api-version=2019-11-01&resource=r`;
    const challenged = await fetch(url, { headers: { metadata: "true" } });
    expect(challenged.status).toBe(401);
    const realm = /^Basic realm=(.+)$/.exec(challenged.headers.get("www-authenticate") ?? "")?.[1];
    expect(realm).toMatch(/\.key$/);
    expect(realm?.startsWith(await authority.managedIdentity.arcTokenDirectory())).toBe(true);
    expect((await stat(realm!)).size).toBeLessThanOrEqual(4096);
    const secret = await readFile(realm!, "utf8");
    const headers = { metadata: "true", authorization: `Basic ${secret}` };
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { headers })).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "../src/index.js";
import { type AadErrorJson, postToken, tokenParams, UUID } from "./helpers.js";

const FIXED_NOW = Date.UTC(2030, 5, 7, 8, 9, 10);

async function errorOf(res: Response): Promise<AadErrorJson> {
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  return (await res.json()) as AadErrorJson;
}

describe("token endpoint: Entra error responses", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority({
      now: () => FIXED_NOW,
      clients: [
        { clientId: DEMO_CLIENT_ID, clientSecret: "credchain-demo-secret" },
        { clientId: "tenant-a-app", clientSecret: "a-secret", tenants: ["tenant-a"] },
      ],
    });
  });
  afterAll(async () => {
    await authority.close();
  });

  it("answers a wrong secret with 401 invalid_client / AADSTS7000215, shaped like Entra", async () => {
    const res = await postToken(authority, tokenParams({ client_secret: "wrong" }));
    expect(res.status).toBe(401);
    const body = await errorOf(res);
    expect(Object.keys(body)).toEqual([
      "error",
      "error_description",
      "error_codes",
      "timestamp",
      "trace_id",
      "correlation_id",
      "error_uri",
    ]);
    expect(body.error).toBe("invalid_client");
    expect(body.error_codes).toEqual([7000215]);
    expect(body.timestamp).toBe("2030-06-07 08:09:10Z");
    expect(body.trace_id).toMatch(UUID);
    expect(body.correlation_id).toMatch(UUID);
    expect(body.trace_id).toBe(res.headers.get("x-ms-request-id"));
    expect(body.error_uri).toBe("https://login.microsoftonline.com/error?code=7000215");
    expect(body.error_description).toBe(
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request " +
        `is the client secret value, not the client secret ID, for a secret added to app '${DEMO_CLIENT_ID}'.` +
        `\r\nTrace ID: ${body.trace_id}\r\nCorrelation ID: ${body.correlation_id}` +
        "\r\nTimestamp: 2030-06-07 08:09:10Z",
    );
  });

  it("echoes client-request-id and uses it as the correlation id", async () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const res = await postToken(authority, tokenParams({ client_secret: "wrong" }), {
      headers: { "client-request-id": id },
    });
    expect(res.headers.get("client-request-id")).toBe(id);
    expect((await errorOf(res)).correlation_id).toBe(id);
  });

  it("answers a missing secret with 401 AADSTS7000218", async () => {
    const res = await postToken(authority, tokenParams({ client_secret: undefined }));
    expect(res.status).toBe(401);
    const body = await errorOf(res);
    expect(body).toMatchObject({ error: "invalid_client", error_codes: [7000218] });
  });

  it("answers an unknown client with 400 unauthorized_client / AADSTS700016", async () => {
    const res = await postToken(authority, tokenParams({ client_id: "nobody" }));
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    expect(body.error_description).toMatch(
      /^AADSTS700016: Application with identifier 'nobody' was not found in the directory '00000000-0000-0000-0000-000000000001'\./,
    );
  });

  it("treats a client used outside its tenants as unknown (AADSTS700016)", async () => {
    const params = tokenParams({ client_id: "tenant-a-app", client_secret: "a-secret" });
    expect((await postToken(authority, params, { tenant: "tenant-a" })).status).toBe(200);
    const res = await postToken(authority, params, { tenant: DEMO_TENANT_ID });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error_codes).toEqual([700016]);
  });

  it.each([
    ["a scope without /.default", "https://graph.microsoft.com/User.Read"],
    ["a bare resource", "https://graph.microsoft.com"],
    ["only /.default", "/.default"],
    ["an empty scope", ""],
  ])("answers %s with 400 invalid_scope / AADSTS1002012", async (_name, scope) => {
    const res = await postToken(authority, tokenParams({ scope }));
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
    expect(body.error_description).toContain(
      `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows ` +
        "must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
    );
  });

  it("answers a missing scope parameter with invalid_scope too", async () => {
    const res = await postToken(authority, tokenParams({ scope: undefined }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe("invalid_scope");
  });

  it("answers scopes of two resources with AADSTS28000", async () => {
    const scope = "https://graph.microsoft.com/.default https://vault.azure.net/.default";
    const res = await postToken(authority, tokenParams({ scope }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ error: "invalid_scope", error_codes: [28000] });
  });

  it("answers another grant type with 400 unsupported_grant_type / AADSTS70003", async () => {
    const res = await postToken(authority, tokenParams({ grant_type: "password" }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      error: "unsupported_grant_type",
      error_codes: [70003],
    });
  });

  it("answers missing grant_type and client_id with AADSTS900144", async () => {
    for (const missing of ["grant_type", "client_id"]) {
      const res = await postToken(authority, tokenParams({ [missing]: undefined }));
      expect(res.status).toBe(400);
      const body = await errorOf(res);
      expect(body).toMatchObject({ error: "invalid_request", error_codes: [900144] });
      expect(body.error_description).toContain(`'${missing}'`);
    }
  });

  it("answers invalid claims JSON with 400 invalid_request", async () => {
    const res = await postToken(authority, tokenParams({ claims: "{not json" }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error).toBe("invalid_request");
  });

  it("answers GET on the token endpoint with 405 / AADSTS900561", async () => {
    const res = await fetch(authority.tokenEndpoint());
    expect(res.status).toBe(405);
    expect((await errorOf(res)).error_codes).toEqual([900561]);
  });

  it("answers a body over the limit with 413 and keeps serving", async () => {
    const res = await postToken(authority, tokenParams({ padding: "x".repeat(100 * 1024) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).error).toBe("invalid_request");
    expect((await postToken(authority)).status).toBe(200);
  });

  it("answers unknown paths with 404 JSON", async () => {
    const res = await fetch(`${authority.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("not_found");
  });
});

describe("token endpoint: tenants", () => {
  it("answers a tenant no client is registered in with AADSTS90002", async () => {
    const authority = await startAuthority({
      clients: [{ clientId: "app", clientSecret: "s", tenants: ["known-tenant"] }],
    });
    try {
      const params = tokenParams({ client_id: "app", client_secret: "s" });
      expect((await postToken(authority, params, { tenant: "known-tenant" })).status).toBe(200);
      const res = await postToken(authority, params, { tenant: "other-tenant" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as AadErrorJson;
      expect(body).toMatchObject({ error: "invalid_request", error_codes: [90002] });
      expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'other-tenant' not found\./);
    } finally {
      await authority.close();
    }
  });

  it("restricts tenants with the tenants option", async () => {
    const authority = await startAuthority({ tenants: [DEMO_TENANT_ID] });
    try {
      expect((await postToken(authority)).status).toBe(200);
      const res = await postToken(authority, tokenParams(), { tenant: "elsewhere" });
      expect(((await res.json()) as AadErrorJson).error_codes).toEqual([90002]);
    } finally {
      await authority.close();
    }
  });

  it("applies setClients to later requests, e.g. a rotated secret", async () => {
    const authority = await startAuthority();
    try {
      expect((await postToken(authority)).status).toBe(200);
      authority.setClients([{ clientId: DEMO_CLIENT_ID, clientSecret: "rotated" }]);
      expect((await postToken(authority)).status).toBe(401);
      expect((await postToken(authority, tokenParams({ client_secret: "rotated" }))).status).toBe(
        200,
      );
    } finally {
      await authority.close();
    }
  });
});

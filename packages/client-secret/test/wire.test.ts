import { afterEach, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../src/index.js";
import { startRecordingServer, type RecordingServer } from "./recordingServer.js";

const TENANT = "contoso.onmicrosoft.com";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const SECRET = "s3cr3t~value.with_symbols-&=+%";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function credentialAgainstRecorder(): Promise<{
  credential: ClientSecretCredential;
  server: RecordingServer;
}> {
  server = await startRecordingServer();
  return {
    credential: new ClientSecretCredential(TENANT, CLIENT, SECRET, { authority: server.url }),
    server,
  };
}

describe("the token request on the wire", () => {
  it("POSTs the client credentials form to {authority}/{tenant}/oauth2/v2.0/token", async () => {
    const { credential, server } = await credentialAgainstRecorder();
    await credential.getToken("https://vault.azure.net/.default");

    expect(server.requests).toHaveLength(1); // no discovery or metadata round trip
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers["accept"]).toBe("application/json");
    expect([...(request?.form.keys() ?? [])].sort()).toEqual([
      "client_id",
      "client_secret",
      "grant_type",
      "scope",
    ]);
    expect(request?.form.get("client_id")).toBe(CLIENT);
    expect(request?.form.get("client_secret")).toBe(SECRET); // form-encoded, decoded intact
    expect(request?.form.get("grant_type")).toBe("client_credentials");
    expect(request?.form.get("scope")).toBe("https://vault.azure.net/.default");
  });

  it("joins several scopes with one space, in the caller's order", async () => {
    const { credential, server } = await credentialAgainstRecorder();
    await credential.getToken(["https://b.example/.default", "https://a.example/.default"]);
    expect(server.requests[0]?.form.get("scope")).toBe(
      "https://b.example/.default https://a.example/.default",
    );
  });

  it("sends claims only when there are some", async () => {
    const { credential, server } = await credentialAgainstRecorder();
    await credential.getToken("https://a.example/.default");
    await credential.getToken("https://b.example/.default", { claims: "" });
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    await credential.getToken("https://c.example/.default", { claims });

    expect(server.requests.map((r) => r.form.has("claims"))).toEqual([false, false, true]);
    expect(server.requests[2]?.form.get("claims")).toBe(claims);
  });

  it("sends a fresh client-request-id with every request, for correlation with Entra's logs", async () => {
    const { credential, server } = await credentialAgainstRecorder();
    await credential.getToken("https://a.example/.default");
    await credential.getToken("https://b.example/.default");
    const ids = server.requests.map((r) => r.headers["client-request-id"]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(server.requests[0]?.headers["user-agent"]).toMatch(/^credchain\//);
    expect(server.requests[0]?.headers["x-client-sku"]).toBe("credchain.client-secret");
  });

  it("does not send the tenant twice when the authority already ends with it", async () => {
    server = await startRecordingServer();
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authority: `${server.url}/${TENANT}/`,
      additionallyAllowedTenants: ["fabrikam.com"],
    });
    await credential.getToken("https://a.example/.default");
    await credential.getToken("https://a.example/.default", { tenantId: "fabrikam.com" });
    expect(server.requests.map((r) => r.url)).toEqual([
      `/${TENANT}/oauth2/v2.0/token`,
      "/fabrikam.com/oauth2/v2.0/token",
    ]);
  });

  it("keeps an authority's path prefix in the token URL", async () => {
    server = await startRecordingServer();
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authority: `${server.url}/emulator/`,
    });
    await credential.getToken("https://a.example/.default");
    expect(server.requests[0]?.url).toBe(`/emulator/${TENANT}/oauth2/v2.0/token`);
  });
});

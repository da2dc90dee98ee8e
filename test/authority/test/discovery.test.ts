import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANT_ID, startAuthority, type LocalAuthority } from "../src/index.js";

describe("discovery endpoints", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority();
  });
  afterAll(async () => {
    await authority.close();
  });

  it("serves the tenant's openid-configuration pointing back at the authority", async () => {
    const res = await fetch(
      `${authority.url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    );
    expect(res.status).toBe(200);
    const config = (await res.json()) as Record<string, unknown>;
    const base = `${authority.url}/${DEMO_TENANT_ID}`;
    expect(config).toMatchObject({
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(config.token_endpoint).toBe(authority.tokenEndpoint());
  });

  it("publishes a templated issuer for alias tenants, like Entra", async () => {
    const res = await fetch(`${authority.url}/common/v2.0/.well-known/openid-configuration`);
    const config = (await res.json()) as { issuer: string };
    expect(config.issuer).toBe(`${authority.url}/{tenantid}/v2.0`);
  });

  it("serves the JWKS with the RSA signing key", async () => {
    const res = await fetch(`${authority.url}/${DEMO_TENANT_ID}/discovery/v2.0/keys`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
    expect(typeof jwks.keys[0]?.n).toBe("string");
    expect(typeof jwks.keys[0]?.kid).toBe("string");
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });

  it("serves instance discovery naming the authority host as its own cloud", async () => {
    const authorize = encodeURIComponent(`${authority.url}/my-tenant/oauth2/v2.0/authorize`);
    const res = await fetch(
      `${authority.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tenant_discovery_endpoint: `${authority.url}/my-tenant/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [
        {
          preferred_network: authority.host,
          preferred_cache: authority.host,
          aliases: [authority.host],
        },
      ],
    });
  });

  it("answers non-GET discovery requests with 405", async () => {
    const res = await fetch(`${authority.url}/common/discovery/v2.0/keys`, { method: "POST" });
    expect(res.status).toBe(405);
  });
});

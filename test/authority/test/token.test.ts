import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "../src/index.js";
import { decodeJwt, GRAPH_SCOPE, postToken, tokenParams } from "./helpers.js";

interface TokenJson {
  token_type: string;
  expires_in?: number | string;
  ext_expires_in?: number | string;
  expires_on?: string;
  refresh_in?: number;
  access_token: string;
}

const FIXED_NOW = Date.UTC(2030, 0, 2, 3, 4, 5);

describe("token endpoint: successful client credentials", () => {
  let authority: LocalAuthority;

  beforeAll(async () => {
    authority = await startAuthority({ now: () => FIXED_NOW });
  });
  afterAll(async () => {
    await authority.close();
  });

  it("issues an Entra-shaped response with a JWT whose claims match the request", async () => {
    const res = await postToken(authority);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("x-ms-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as TokenJson;
    expect(Object.keys(body)).toEqual([
      "token_type",
      "expires_in",
      "ext_expires_in",
      "access_token",
    ]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });

    const { header, payload } = decodeJwt(body.access_token);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(typeof header.kid).toBe("string");
    const iat = Math.floor(FIXED_NOW / 1000);
    expect(payload).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `${authority.url}/${DEMO_TENANT_ID}/v2.0`,
      tid: DEMO_TENANT_ID,
      appid: DEMO_CLIENT_ID,
      azp: DEMO_CLIENT_ID,
      idtyp: "app",
      ver: "2.0",
      iat,
      nbf: iat,
      exp: iat + 3599,
    });
    expect(payload.sub).toBe(payload.oid);
    expect(payload.xms_cc).toBeUndefined();
  });

  it("signs tokens with the key published in the tenant's JWKS", async () => {
    const body = (await (await postToken(authority)).json()) as TokenJson;
    const jwt = decodeJwt(body.access_token);

    const config = (await (
      await fetch(`${authority.url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`)
    ).json()) as { jwks_uri: string; issuer: string };
    expect(jwt.payload.iss).toBe(config.issuer);
    const jwks = (await (await fetch(config.jwks_uri)).json()) as {
      keys: Array<JsonWebKey & { kid: string }>;
    };
    const jwk = jwks.keys.find((k) => k.kid === jwt.header.kid);
    expect(jwk).toBeDefined();

    const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    expect(verify("sha256", Buffer.from(jwt.signingInput), key, jwt.signature)).toBe(true);
    const tampered = Buffer.from(`${jwt.signingInput}x`);
    expect(verify("sha256", tampered, key, jwt.signature)).toBe(false);
  });

  it("issues a distinct token per request, with a stable oid per client and tenant", async () => {
    const tokens = await Promise.all(
      [1, 2, 3].map(
        async () => ((await (await postToken(authority)).json()) as TokenJson).access_token,
      ),
    );
    expect(new Set(tokens).size).toBe(3);
    const payloads = tokens.map((t) => decodeJwt(t).payload);
    expect(new Set(payloads.map((p) => p.uti)).size).toBe(3);
    expect(new Set(payloads.map((p) => p.jti)).size).toBe(3);
    expect(new Set(payloads.map((p) => p.oid)).size).toBe(1);
  });

  it("uses the tenant from the path and the resource from the scope", async () => {
    const res = await postToken(authority, tokenParams({ scope: "api://my-api/.default" }), {
      tenant: "contoso.onmicrosoft.com",
    });
    const { payload } = decodeJwt(((await res.json()) as TokenJson).access_token);
    expect(payload).toMatchObject({ tid: "contoso.onmicrosoft.com", aud: "api://my-api" });
  });

  it("adds xms_cc when the claims parameter declares the CP1 capability", async () => {
    const claims = JSON.stringify({ access_token: { xms_cc: { values: ["CP1"] } } });
    const res = await postToken(authority, tokenParams({ claims }));
    expect(res.status).toBe(200);
    const { payload } = decodeJwt(((await res.json()) as TokenJson).access_token);
    expect(payload.xms_cc).toEqual(["CP1"]);
  });

  it.each([["cp1"], ["Cp1"]])(
    "adds xms_cc when the capability is sent as %j (@azure/identity sends lower case)",
    async (capability) => {
      const claims = JSON.stringify({ access_token: { xms_cc: { values: [capability] } } });
      const res = await postToken(authority, tokenParams({ claims }));
      expect(res.status).toBe(200);
      const { payload } = decodeJwt(((await res.json()) as TokenJson).access_token);
      expect(payload.xms_cc).toEqual(["CP1"]);
    },
  );

  it("accepts client_secret_basic authentication", async () => {
    const basic = Buffer.from(`${DEMO_CLIENT_ID}:credchain-demo-secret`).toString("base64");
    const res = await postToken(
      authority,
      tokenParams({ client_id: undefined, client_secret: undefined }),
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(res.status).toBe(200);
  });

  it("accepts multiple /.default scopes of the same resource", async () => {
    const res = await postToken(authority, tokenParams({ scope: `${GRAPH_SCOPE} ${GRAPH_SCOPE}` }));
    expect(res.status).toBe(200);
  });

  it("serves 1,000 concurrent token requests", async () => {
    authority.resetLog();
    const responses = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const res = await postToken(authority);
        return { status: res.status, token: ((await res.json()) as TokenJson).access_token };
      }),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(responses.map((r) => r.token)).size).toBe(1000);
    expect(authority.tokenRequestCount()).toBe(1000);
    // 1,000 RS256 signatures: ~1.3 s alone, past vitest's 5 s default on a loaded 2-core host.
  }, 20_000);
});

describe("token endpoint: configurable response shape", () => {
  it("honors tokenLifetimeInSeconds, caeTokenLifetimeInSeconds, refreshInSeconds and roles", async () => {
    const authority = await startAuthority({
      now: () => FIXED_NOW,
      tokenLifetimeInSeconds: 600,
      caeTokenLifetimeInSeconds: 86_400,
      refreshInSeconds: 300,
      clients: [{ clientId: "app", clientSecret: "s3cret", roles: ["Data.Read"] }],
    });
    try {
      const params = tokenParams({ client_id: "app", client_secret: "s3cret" });
      const body = (await (await postToken(authority, params)).json()) as TokenJson;
      expect(body).toMatchObject({ expires_in: 600, ext_expires_in: 600, refresh_in: 300 });
      const { payload } = decodeJwt(body.access_token);
      expect(payload.exp).toBe(Math.floor(FIXED_NOW / 1000) + 600);
      expect(payload.roles).toEqual(["Data.Read"]);

      const claims = JSON.stringify({ access_token: { xms_cc: { values: ["CP1"] } } });
      const cae = (await (await postToken(authority, { ...params, claims })).json()) as TokenJson;
      expect(cae.expires_in).toBe(86_400);
    } finally {
      await authority.close();
    }
  });

  it('writes lifetimes as strings with expiresAs: "string"', async () => {
    const authority = await startAuthority({ expiresAs: "string" });
    try {
      const body = (await (await postToken(authority)).json()) as TokenJson;
      expect(body.expires_in).toBe("3599");
      expect(body.ext_expires_in).toBe("3599");
    } finally {
      await authority.close();
    }
  });

  it('writes only expires_on with expiresAs: "expires_on"', async () => {
    const authority = await startAuthority({ expiresAs: "expires_on", now: () => FIXED_NOW });
    try {
      const body = (await (await postToken(authority)).json()) as TokenJson;
      expect(body.expires_in).toBeUndefined();
      expect(body.ext_expires_in).toBeUndefined();
      expect(body.expires_on).toBe(String(Math.floor(FIXED_NOW / 1000) + 3599));
    } finally {
      await authority.close();
    }
  });

  it('produces unsigned tokens with signing: "none"', async () => {
    const authority = await startAuthority({ signing: "none" });
    try {
      const body = (await (await postToken(authority)).json()) as TokenJson;
      expect(body.access_token.endsWith(".")).toBe(true);
      expect(decodeJwt(body.access_token).header).toEqual({ alg: "none", typ: "JWT" });
    } finally {
      await authority.close();
    }
  });

  it("rejects invalid options at start", async () => {
    await expect(startAuthority({ tokenLifetimeInSeconds: -1 })).rejects.toThrow(RangeError);
    await expect(startAuthority({ port: 70_000 })).rejects.toThrow(RangeError);
    await expect(
      startAuthority({ clients: [{ clientId: "x", clientSecret: "" }] }),
    ).rejects.toThrow(TypeError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  startAuthority,
  type AuthorityOptions,
  type LocalAuthority,
} from "../src/index.js";
import { decodeJwt, postToken, tokenParams } from "./helpers.js";

const STORAGE_SCOPE = "https://storage.azure.com/.default";

async function tokenClaims(
  authority: LocalAuthority,
  tenant = DEMO_TENANT_ID,
): Promise<Record<string, unknown>> {
  const res = await postToken(authority, tokenParams({ scope: STORAGE_SCOPE }), { tenant });
  expect(res.status).toBe(200);
  return decodeJwt(((await res.json()) as { access_token: string }).access_token).payload;
}

async function publishedIssuers(
  authority: LocalAuthority,
  tenant: string,
): Promise<{ config: string; jwks: string | undefined }> {
  const config = (await (
    await fetch(`${authority.url}/${tenant}/v2.0/.well-known/openid-configuration`)
  ).json()) as { issuer: string };
  const jwks = (await (await fetch(`${authority.url}/${tenant}/discovery/v2.0/keys`)).json()) as {
    keys: Array<{ issuer?: string }>;
  };
  return { config: config.issuer, jwks: jwks.keys[0]?.issuer };
}

describe('issuer: "v1"', () => {
  let authority: LocalAuthority;
  beforeAll(async () => {
    authority = await startAuthority({ issuer: "v1" });
  });
  afterAll(async () => {
    await authority.close();
  });
  const v1 = (): LocalAuthority => authority;

  it("issues v1 tokens: iss https://sts.windows.net/{tid}/, ver 1.0, v1 claims, aud the resource", async () => {
    const payload = await tokenClaims(v1());
    expect(payload).toMatchObject({
      iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      idp: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      ver: "1.0",
      aud: "https://storage.azure.com",
      tid: DEMO_TENANT_ID,
      appid: DEMO_CLIENT_ID,
      appidacr: "1",
      idtyp: "app",
    });
    // v1 tokens have no azp/azpacr; nbf, iat and exp are what resource emulators check.
    expect(payload.azp).toBeUndefined();
    expect(payload.azpacr).toBeUndefined();
    expect(typeof payload.nbf).toBe("number");
    expect(typeof payload.iat).toBe("number");
    expect(payload.exp).toBe((payload.iat as number) + 3599);
  });

  it("puts the requested tenant in the issuer", async () => {
    const payload = await tokenClaims(v1(), "contoso.onmicrosoft.com");
    expect(payload.iss).toBe("https://sts.windows.net/contoso.onmicrosoft.com/");
  });

  it("publishes the v1 issuer in discovery, templated for alias tenants", async () => {
    expect(await publishedIssuers(v1(), DEMO_TENANT_ID)).toEqual({
      config: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      jwks: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
    });
    expect((await publishedIssuers(v1(), "common")).config).toBe(
      "https://sts.windows.net/{tenantid}/",
    );
  });
});

describe("issuer: default and v2", () => {
  it.each<[string, AuthorityOptions]>([
    ["default", {}],
    ['"v2"', { issuer: "v2" }],
  ])("%s issues v2 tokens from the authority's own URL", async (_label, options) => {
    await using authority = await startAuthority(options);
    const payload = await tokenClaims(authority);
    expect(payload).toMatchObject({
      iss: `${authority.url}/${DEMO_TENANT_ID}/v2.0`,
      ver: "2.0",
      azp: DEMO_CLIENT_ID,
      azpacr: "1",
    });
    expect(payload.idp).toBeUndefined();
  });
});

describe("issuer: a function", () => {
  it("stamps the function's issuer on v2-shaped tokens and in discovery", async () => {
    const seen: string[] = [];
    await using authority = await startAuthority({
      issuer: (tenant) => {
        seen.push(tenant);
        return `https://issuer.example/${tenant}/`;
      },
    });
    const payload = await tokenClaims(authority);
    expect(payload).toMatchObject({ iss: `https://issuer.example/${DEMO_TENANT_ID}/`, ver: "2.0" });
    expect((await publishedIssuers(authority, DEMO_TENANT_ID)).config).toBe(
      `https://issuer.example/${DEMO_TENANT_ID}/`,
    );
    expect(seen).toContain(DEMO_TENANT_ID);
  });

  it("answers 500 server_error when the function returns no string", async () => {
    await using authority = await startAuthority({
      issuer: (() => 42) as unknown as (tenant: string) => string,
    });
    const res = await postToken(authority);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("server_error");
    expect(body.error_description).toContain("issuer function must return a non-empty string");
  });
});

describe("issuer: bad values", () => {
  it.each([["v3"], [""], [1], [null]])(
    "rejects issuer %j at start with a TypeError",
    async (value) => {
      await expect(startAuthority({ issuer: value as unknown as "v1" })).rejects.toThrowError(
        new TypeError(
          'issuer must be "v2", "v1" or a function (tenant) => string that returns the iss claim',
        ),
      );
    },
  );
});

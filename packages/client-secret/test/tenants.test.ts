import { useLocalAuthority } from "@credchain/local-authority";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential } from "../src/index.js";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  GRAPH,
  rejectionOf,
} from "./fixtures.js";

const FABRIKAM = "fabrikam.onmicrosoft.com";
const NORTHWIND = "northwind.onmicrosoft.com";

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });
afterEach(() => {
  vi.unstubAllEnvs();
});

function credential(
  tenantId: string,
  additionallyAllowedTenants?: string[],
): ClientSecretCredential {
  return new ClientSecretCredential(tenantId, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: authority.url,
    ...(additionallyAllowedTenants === undefined ? {} : { additionallyAllowedTenants }),
  });
}

const tenantsRequested = (): Array<string | undefined> => authority.requests.map((r) => r.tenant);

describe("tenants", () => {
  it("requests from the configured tenant, with or without an explicit options.tenantId equal to it", async () => {
    const cred = credential(DEMO_TENANT_ID);
    await cred.getToken(GRAPH);
    await cred.getToken(GRAPH, { tenantId: DEMO_TENANT_ID });
    expect(tenantsRequested()).toEqual([DEMO_TENANT_ID]); // same tenant, same cache entry
  });

  it("requests from another tenant when additionallyAllowedTenants lists it, caching per tenant", async () => {
    const cred = credential(DEMO_TENANT_ID, [FABRIKAM]);
    const home = await cred.getToken(GRAPH);
    const other = await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    expect(tenantsRequested()).toEqual([DEMO_TENANT_ID, FABRIKAM]);
    expect(other.token).not.toBe(home.token);
  });

  it('allows any tenant with "*"', async () => {
    const cred = credential(DEMO_TENANT_ID, ["*"]);
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    await cred.getToken(GRAPH, { tenantId: NORTHWIND });
    expect(tenantsRequested()).toEqual([FABRIKAM, NORTHWIND]);
  });

  it("refuses a tenant that is not allowed before sending anything, saying how to allow it", async () => {
    const cred = credential(DEMO_TENANT_ID, [FABRIKAM]);
    const error = await rejectionOf(cred.getToken(GRAPH, { tenantId: NORTHWIND }));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain(`"${NORTHWIND}"`);
    expect(error.message).toMatch(/additionallyAllowedTenants/);
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it("refuses a malformed per-request tenant with a TypeError and sends nothing", async () => {
    const cred = credential(DEMO_TENANT_ID, ["*"]);
    const error = await rejectionOf(cred.getToken(GRAPH, { tenantId: "evil/../path" }));
    expect(error).toBeInstanceOf(TypeError);
    expect(authority.tokenRequestCount()).toBe(0);
  });

  it('refuses the dot segments "." and ".." as a per-request tenant: the URL would resolve them', async () => {
    const cred = credential(DEMO_TENANT_ID, ["*"]);
    for (const tenantId of ["..", "."]) {
      const error = await rejectionOf(cred.getToken(GRAPH, { tenantId }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain(`options.tenantId "${tenantId}" is not valid`);
    }
    expect(authority.requests).toEqual([]); // not even to {authority}/oauth2/v2.0/token
  });

  it("always uses the configured tenant for adfs", async () => {
    const cred = credential("adfs");
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    expect(tenantsRequested()).toEqual(["adfs"]);
  });

  it("always uses the configured tenant when AZURE_IDENTITY_DISABLE_MULTITENANTAUTH is set", async () => {
    vi.stubEnv("AZURE_IDENTITY_DISABLE_MULTITENANTAUTH", "true");
    const cred = credential(DEMO_TENANT_ID); // not even allowed: the switch wins, as in Azure
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    expect(tenantsRequested()).toEqual([DEMO_TENANT_ID]);
  });

  it('reads AZURE_IDENTITY_DISABLE_MULTITENANTAUTH="false" as off', async () => {
    vi.stubEnv("AZURE_IDENTITY_DISABLE_MULTITENANTAUTH", "false");
    const cred = credential(DEMO_TENANT_ID, [FABRIKAM]);
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    expect(tenantsRequested()).toEqual([FABRIKAM]);
  });

  it("reads the switch once, at construction", async () => {
    const cred = credential(DEMO_TENANT_ID, [FABRIKAM]);
    vi.stubEnv("AZURE_IDENTITY_DISABLE_MULTITENANTAUTH", "1");
    await cred.getToken(GRAPH, { tenantId: FABRIKAM });
    expect(tenantsRequested()).toEqual([FABRIKAM]);
  });
});

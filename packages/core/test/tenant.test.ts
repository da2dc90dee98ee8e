import { describe, expect, it } from "vitest";
import { resolveTenantId, validateTenantId, type TenantPolicy } from "../src/index.js";

const policy = (overrides: Partial<TenantPolicy> = {}): TenantPolicy => ({
  tenantId: "home",
  additionallyAllowedTenants: [],
  disableMultiTenantAuth: false,
  ...overrides,
});

describe("validateTenantId", () => {
  it("accepts GUIDs and domain names", () => {
    expect(validateTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47")).toBe(
      "72f988bf-86f1-41af-91ab-2d7cd011db47",
    );
    expect(validateTenantId("contoso.onmicrosoft.com")).toBe("contoso.onmicrosoft.com");
  });

  it("refuses anything that could escape the token URL's path", () => {
    for (const bad of ["", "a/b", "../x", ".", "..", "a b", "a?b", "a#b", "a%2F", undefined, 42]) {
      expect(() => validateTenantId(bad)).toThrow(TypeError);
    }
  });
});

describe("resolveTenantId", () => {
  it("uses the configured tenant by default or when asked for it", () => {
    expect(resolveTenantId(policy(), undefined)).toBe("home");
    expect(resolveTenantId(policy(), "home")).toBe("home");
  });

  it("allows listed tenants, or any with *", () => {
    expect(resolveTenantId(policy({ additionallyAllowedTenants: ["other"] }), "other")).toBe(
      "other",
    );
    expect(resolveTenantId(policy({ additionallyAllowedTenants: ["*"] }), "anything")).toBe(
      "anything",
    );
  });

  it("refuses an unlisted tenant with a ClientAuthenticationError that says how to allow it", () => {
    let error: unknown;
    try {
      resolveTenantId(policy({ additionallyAllowedTenants: ["x"] }), "other");
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      name: "ClientAuthenticationError",
      message: expect.stringContaining("additionallyAllowedTenants") as unknown,
    });
  });

  it("stays on the configured tenant for adfs or when multi-tenant auth is disabled", () => {
    expect(resolveTenantId(policy({ tenantId: "adfs" }), "other")).toBe("adfs");
    expect(resolveTenantId(policy({ disableMultiTenantAuth: true }), "other")).toBe("home");
  });

  it("validates the requested tenant first", () => {
    expect(() => resolveTenantId(policy({ additionallyAllowedTenants: ["*"] }), "a/b")).toThrow(
      TypeError,
    );
  });
});

import { describe, expect, it } from "vitest";
import { normalizeScopes } from "../src/index.js";
import { scopeSetKey } from "../src/credential/scopes.js";

describe("normalizeScopes", () => {
  it("returns a copy in the caller's order", () => {
    const scopes = ["b", "a"];
    const normalized = normalizeScopes(scopes, "X.getToken");
    expect(normalized).toEqual(["b", "a"]);
    expect(normalized).not.toBe(scopes);
    expect(normalizeScopes("one", "X.getToken")).toEqual(["one"]);
  });

  it("refuses empty or non-string scopes with a TypeError naming the method", () => {
    for (const bad of [[], "", "  ", [""], ["a", 1], undefined, null, {}]) {
      expect(() => normalizeScopes(bad as string[], "X.getToken")).toThrow(/X\.getToken/);
    }
  });
});

describe("scopeSetKey", () => {
  it("is the same for the same set, whatever the order or duplicates", () => {
    expect(scopeSetKey(["b", "a", "b"])).toBe(scopeSetKey(["a", "b"]));
    expect(scopeSetKey(["a"])).toBe("a");
    expect(scopeSetKey(["a", "b"])).not.toBe(scopeSetKey(["a", "c"]));
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_TENANT_ID,
  useLocalAuthority,
  type AuthorityOptions,
  type LocalAuthority,
  type SuiteHooks,
} from "../src/index.js";
import { postToken } from "./helpers.js";

describe("useLocalAuthority", () => {
  const authority = useLocalAuthority({ issuer: "v1" }, { beforeAll, afterAll });
  let seen: LocalAuthority | undefined;

  it("starts the authority before the suite's tests, with the given options", async () => {
    seen = authority();
    const res = await postToken(seen);
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const payload = JSON.parse(
      Buffer.from(access_token.split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as { iss: string };
    expect(payload.iss).toBe(`https://sts.windows.net/${DEMO_TENANT_ID}/`);
  });

  it("gives every test of the suite the same running authority", () => {
    expect(authority()).toBe(seen);
  });
});

describe("useLocalAuthority hooks", () => {
  /** Hooks a test drives by hand, to see what the helper registers. */
  function manualHooks(): SuiteHooks & { run(which: "before" | "after"): Promise<void> } {
    const registered: { before: (() => Promise<void>)[]; after: (() => Promise<void>)[] } = {
      before: [],
      after: [],
    };
    return {
      beforeAll: (fn) => registered.before.push(fn),
      afterAll: (fn) => registered.after.push(fn),
      run: async (which) => {
        for (const fn of registered[which]) await fn();
      },
    };
  }

  it("closes the authority in afterAll, and says when it is used outside the suite", async () => {
    const hooks = manualHooks();
    const authority = useLocalAuthority({}, hooks);
    expect(() => authority()).toThrowError(/only between the suite's beforeAll and afterAll/);
    await hooks.run("before");
    const url = authority().url;
    expect(
      (await fetch(`${url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`)).status,
    ).toBe(200);
    await hooks.run("after");
    expect(() => authority()).toThrowError(/only between/);
    await expect(fetch(url)).rejects.toThrow();
  });

  it("checks options at once, before any hook runs", () => {
    expect(() =>
      useLocalAuthority({ isuser: "v1" } as unknown as AuthorityOptions, manualHooks()),
    ).toThrowError(/Unknown startAuthority option "isuser"/);
  });

  it("asks for the hooks when there are no global ones", () => {
    expect(() => useLocalAuthority()).toThrowError(
      new TypeError(
        "useLocalAuthority: no global beforeAll/afterAll found; pass your test framework's hooks, " +
          "e.g. useLocalAuthority(options, { beforeAll, afterAll })",
      ),
    );
  });
});

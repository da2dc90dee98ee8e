import { describe, expect, it } from "vitest";
import { startAuthority, type AuthorityOptions } from "../src/index.js";

describe("startAuthority options", () => {
  it("rejects an unknown option (it used to be silently ignored) with a TypeError naming it and the valid ones", async () => {
    const options = { isuser: "v1" } as unknown as AuthorityOptions;
    const error = await startAuthority(options).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /^Unknown startAuthority option "isuser"\. Valid options: /,
    );
    for (const name of ["port", "https", "clients", "issuer", "now", "faults"]) {
      expect((error as Error).message).toContain(name);
    }
  });

  it("does not quote an unbounded option name in full", async () => {
    const name = "x".repeat(100_000);
    const error = (await startAuthority({ [name]: 1 }).catch((err: unknown) => err)) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message.length).toBeLessThan(1000);
  });

  it("rejects options that are not an object", async () => {
    await expect(startAuthority(null as unknown as AuthorityOptions)).rejects.toThrowError(
      new TypeError("startAuthority options must be an object (or omitted)"),
    );
  });

  it("still accepts every documented option", async () => {
    await using authority = await startAuthority({
      port: 0,
      https: false,
      tokenLifetimeInSeconds: 60,
      caeTokenLifetimeInSeconds: 120,
      refreshInSeconds: 30,
      expiresAs: "number",
      signing: "none",
      faults: [],
      now: Date.now,
      maxBodyBytes: 1024,
      requestLogLimit: 10,
      issuer: "v1",
      tenants: ["t1"],
      clients: [{ clientId: "c", clientSecret: "s" }],
    });
    expect(authority.port).toBeGreaterThan(0);
  });
});

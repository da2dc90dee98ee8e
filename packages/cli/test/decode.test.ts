import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { environmentCase } from "./support/credentialCases.js";
import { runCredchain } from "./support/runCredchain.js";

let authority: LocalAuthority;
let token: string;
beforeAll(async () => {
  authority = await startAuthority({
    clients: [{ clientId: "app", clientSecret: "app-secret-value", roles: ["Reader", "Writer"] }],
  });
  const result = await runCredchain(
    [
      "token",
      "--credential",
      "environment",
      "--scope",
      "https://vault.azure.net/.default",
      "--output",
      "raw",
    ],
    {
      env: {
        ...environmentCase.env(authority),
        AZURE_CLIENT_ID: "app",
        AZURE_CLIENT_SECRET: "app-secret-value",
      },
    },
  );
  token = result.stdout.trim();
});
afterAll(async () => {
  await authority.close();
});

describe("credchain decode", () => {
  const check = (result: { code: number | null; stdout: string; stderr: string }) => {
    expect(result.code).toBe(0);
    const decoded = JSON.parse(result.stdout);
    expect(decoded.signatureVerified).toBe(false);
    expect(decoded.header.alg).toBe("RS256");
    expect(decoded.summary).toMatchObject({
      aud: "https://vault.azure.net",
      roles: ["Reader", "Writer"],
      expired: false,
    });
    // exp as an ISO date, and the same instant as the claim.
    expect(Date.parse(decoded.summary.exp)).toBe(decoded.claims.exp * 1000);
    expect(decoded.summary.exp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(result.stderr).toMatch(/NOT verified/);
  };

  it("decodes a token given as the argument, saying it does not verify it", async () => {
    check(await runCredchain(["decode", token]));
  });

  it("decodes a token piped on stdin, with or without 'Bearer '", async () => {
    check(await runCredchain(["decode"], { input: `${token}\n` }));
    check(await runCredchain(["decode"], { input: `Bearer ${token}` }));
  });

  it("shows the CAE capabilities (xms_cc) of a token that has them", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ aud: "api", exp: 1, xms_cc: ["CP1"] })).toString(
      "base64url",
    );
    const result = await runCredchain(["decode", `${header}.${payload}.`]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary).toEqual({
      aud: "api",
      xms_cc: ["CP1"],
      exp: "1970-01-01T00:00:01.000Z",
      expired: true,
    });
  });

  it.each([
    ["not a JWT", "hello"],
    ["a header that is not JSON", "aGVsbG8.e30.sig"],
    ["nothing at all", ""],
  ])("exits 2 for %s", async (_, input) => {
    const result = await runCredchain(["decode"], { input });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toBe("");
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainedTokenCredential, ManualClock, rootContainer, Tokens } from "@credchain/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureCliCredential, type AzureCliCredentialOptions } from "../src/index.js";
import { internalOptions } from "../src/internalOptions.js";
import { installFakeAz, type FakeAz, type FakeAzMode } from "./fakeAz.js";

const ARM = "https://management.azure.com/.default";

let fake: FakeAz;
beforeAll(async () => {
  fake = await installFakeAz();
});
afterAll(async () => {
  await fake.remove();
});

function credential(
  mode: FakeAzMode,
  options: AzureCliCredentialOptions = {},
  env: Record<string, string> = fake.env(mode),
): AzureCliCredential {
  return new AzureCliCredential({
    ...options,
    [internalOptions]: { env },
  } as AzureCliCredentialOptions);
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === "win32")("AzureCliCredential with a fake az on PATH", () => {
  it("runs az account get-access-token with the resource, and reads expires_on", async () => {
    const cli = credential("success");
    const before = Date.now();
    const token = await cli.getToken(ARM);
    expect(token.token).toBe("fake-az-token-for-https://management.azure.com");
    // expires_on (epoch seconds) wins over the bogus local-time expiresOn the fake also prints.
    expect(token.expiresOnTimestamp).toBeGreaterThan(before + 3_000_000);
    const runs = await fake.runs();
    expect(runs.at(-1)?.argv).toEqual([
      "account",
      "get-access-token",
      "--output",
      "json",
      "--resource",
      "https://management.azure.com",
    ]);
  });

  it("never shows the token in inspect, JSON or events", async () => {
    const { inspect } = await import("node:util");
    const cli = credential("success", { tenantId: "contoso.onmicrosoft.com" });
    const seen: unknown[] = [];
    cli.events.on("token:acquired", (payload) => seen.push(payload));
    const { token } = await cli.getToken("https://storage.azure.com/.default");
    const text = [inspect(cli), JSON.stringify(cli), inspect(seen, { depth: 5 })].join("\n");
    expect(text).not.toContain(token);
    expect(JSON.stringify(cli)).toBe(
      '{"credential":"AzureCliCredential","tenantId":"contoso.onmicrosoft.com"}',
    );
  });

  it("caches: a second call does not run az again", async () => {
    const cli = credential("success");
    const runs = (await fake.runs()).length;
    await cli.getToken("https://vault.azure.net/.default");
    await cli.getToken("https://vault.azure.net/.default");
    expect((await fake.runs()).length).toBe(runs + 1);
  });

  it("passes --tenant for a configured tenant and for an allowed per-call tenant", async () => {
    const cli = credential("success", {
      tenantId: "contoso.onmicrosoft.com",
      additionallyAllowedTenants: ["fabrikam.onmicrosoft.com"],
    });
    await cli.getToken(ARM);
    expect((await fake.runs()).at(-1)?.argv.slice(-2)).toEqual([
      "--tenant",
      "contoso.onmicrosoft.com",
    ]);
    await cli.getToken(ARM, { tenantId: "fabrikam.onmicrosoft.com" });
    expect((await fake.runs()).at(-1)?.argv.slice(-2)).toEqual([
      "--tenant",
      "fabrikam.onmicrosoft.com",
    ]);
    await expect(cli.getToken(ARM, { tenantId: "other" })).rejects.toMatchObject({
      name: "ClientAuthenticationError",
    });
  });

  it("falls back to the local-time expiresOn of older az versions", async () => {
    const token = await credential("legacy-expires-on").getToken(ARM);
    expect(token.token).toBe("legacy-token");
    expect(Math.abs(token.expiresOnTimestamp - (Date.now() + 1_800_000))).toBeLessThan(120_000);
  });

  it("kills a hanging az after processTimeoutInMs on the clock: CredentialUnavailableError", async () => {
    const clock = new ManualClock();
    const container = rootContainer.createChildContainer();
    container.register(Tokens.Clock, { useValue: clock });
    const runs = (await fake.runs()).length;
    const pending = rejectionOf(
      credential("hang", { container, processTimeoutInMs: 5_000 }).getToken(ARM),
    );
    await expect.poll(async () => (await fake.runs()).length, { timeout: 5_000 }).toBe(runs + 1);
    const { pid } = (await fake.runs()).at(-1)!;
    await expect.poll(() => clock.pendingSleeps).toBeGreaterThan(0);
    clock.advance(5_000);
    const error = await pending;
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toContain("did not finish within 5000 ms");
    await expect.poll(() => isRunning(pid)).toBe(false);
  });

  it("a non-zero exit is a ClientAuthenticationError with az's message, tokens masked", async () => {
    const error = await rejectionOf(credential("fail").getToken(ARM));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain("exit code 2");
    expect(error.message).toContain("unexpected error");
    expect(error.message).not.toContain("eyJhbGciOiJIUzI1NiJ9");
  });

  it("not logged in: CredentialUnavailableError that says to run az login, and a chain moves on", async () => {
    const cli = credential("not-logged-in");
    const error = await rejectionOf(cli.getToken(ARM));
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toContain("Run `az login`");
    const chain = new ChainedTokenCredential(cli, {
      getToken: async () => ({ token: "next", expiresOnTimestamp: Date.now() + 60_000 }),
    });
    await expect(chain.getToken(ARM)).resolves.toMatchObject({ token: "next" });
  });

  it("a tenant az does not know: CredentialUnavailableError that says az login --tenant", async () => {
    const error = await rejectionOf(
      credential("unknown-tenant", { tenantId: "unknown.example" }).getToken(ARM),
    );
    expect(error.name).toBe("CredentialUnavailableError");
    expect(error.message).toContain("Run `az login --tenant unknown.example`");
  });

  it("az missing from PATH: CredentialUnavailableError that says to install it", async () => {
    const empty = await mkdtemp(join(tmpdir(), "credchain-no-az-"));
    try {
      const error = await rejectionOf(
        credential("success", {}, { PATH: empty, HOME: empty }).getToken(ARM),
      );
      expect(error.name).toBe("CredentialUnavailableError");
      expect(error.message).toContain("not found on PATH");
      expect(error.message).toContain("https://aka.ms/azure-cli");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("arguments are checked before anything runs", () => {
  it.each([
    ["--output=tsv", "an option"],
    ["https://x/.default --debug", "a space"],
    ["https://x/$(id)", "shell characters"],
    ['https://x/"a"&calc', "cmd characters"],
  ])("refuses the scope %s (%s)", async (scope) => {
    const cli = credential("success");
    const runs = (await fake.runs()).length;
    await expect(cli.getToken(scope)).rejects.toThrow(TypeError);
    expect((await fake.runs()).length).toBe(runs);
  });

  it("refuses more than one scope", async () => {
    await expect(
      credential("success").getToken([ARM, "https://vault.azure.net/.default"]),
    ).rejects.toThrow(/exactly one scope/);
  });

  it("refuses a tenant that could be read as an option, or has other characters", () => {
    expect(() => credential("success", { tenantId: "-debug" })).toThrow(TypeError);
    expect(() => credential("success", { tenantId: "a b" })).toThrow(TypeError);
    expect(() => credential("success", { processTimeoutInMs: 0 })).toThrow(RangeError);
  });
});

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ChainedTokenCredential,
  ClientAuthenticationError,
  CredentialUnavailableError,
  type AccessToken,
  type AccessTokenInfo,
  type GetTokenOptions,
  type TokenCredential,
} from "../src/index.js";

const token = (value: string, expiresOnTimestamp = 4_102_444_800_000): AccessToken => ({
  token: value,
  expiresOnTimestamp,
});

/** A link whose answer the test decides, counting calls. */
class ScriptedLink implements TokenCredential {
  calls = 0;
  readonly seenOptions: (GetTokenOptions | undefined)[] = [];
  constructor(readonly answer: () => AccessToken | null | Promise<AccessToken | null>) {}
  async getToken(_scopes: string | string[], options?: GetTokenOptions) {
    this.calls++;
    this.seenOptions.push(options);
    return this.answer();
  }
}
class UnavailableLink extends ScriptedLink {
  constructor(message: string) {
    super(() => {
      throw new CredentialUnavailableError(message);
    });
  }
}
class TokenLink extends ScriptedLink {
  constructor(value: string) {
    super(() => token(value));
  }
}

/** Shaped like an `@azure/identity` credential: a plain class with only `getToken`. */
class IdentityStyleCredential {
  calls = 0;
  async getToken(
    _scopes: string | string[],
    _options?: { abortSignal?: unknown },
  ): Promise<{ token: string; expiresOnTimestamp: number } | null> {
    this.calls++;
    return { token: "identity-token", expiresOnTimestamp: 4_102_444_800_999 };
  }
}

describe("ChainedTokenCredential", () => {
  it("answers with the first link that gives a token and asks no further", async () => {
    const first = new TokenLink("first");
    const second = new TokenLink("second");
    const chain = new ChainedTokenCredential(first, second);
    await expect(chain.getToken("scope")).resolves.toEqual(token("first"));
    expect(second.calls).toBe(0);
  });

  it("passes scopes and options to the links unchanged", async () => {
    const link = new TokenLink("t");
    const options: GetTokenOptions = { tenantId: "other", claims: "{}", enableCae: true };
    await new ChainedTokenCredential(link).getToken(["a", "b"], options);
    expect(link.seenOptions[0]).toBe(options);
  });

  it("skips a link that throws CredentialUnavailableError", async () => {
    const chain = new ChainedTokenCredential(
      new UnavailableLink("no env"),
      new TokenLink("second"),
    );
    await expect(chain.getToken("scope")).resolves.toEqual(token("second"));
  });

  it("skips a link that returns null", async () => {
    const chain = new ChainedTokenCredential(new ScriptedLink(() => null), new TokenLink("second"));
    await expect(chain.getToken("scope")).resolves.toEqual(token("second"));
  });

  it("matches CredentialUnavailableError by name: errors from another copy of the package", async () => {
    class CredentialUnavailableErrorCopy extends Error {
      override readonly name = "CredentialUnavailableError";
    }
    const otherRealm: unknown = runInNewContext(
      'class CredentialUnavailableError extends Error { name = "CredentialUnavailableError" }; new CredentialUnavailableError("from another realm")',
    );
    expect(otherRealm).not.toBeInstanceOf(Error);
    const chain = new ChainedTokenCredential(
      new ScriptedLink(() => {
        throw new CredentialUnavailableErrorCopy("copy");
      }),
      new ScriptedLink(() => {
        throw otherRealm;
      }),
      new ScriptedLink(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a foreign library may throw
        throw { name: "CredentialUnavailableError", message: "plain object" };
      }),
      new TokenLink("last"),
    );
    await expect(chain.getToken("scope")).resolves.toEqual(token("last"));
  });

  it("stops at any other error and rethrows the very same object", async () => {
    const failure = new ClientAuthenticationError("invalid_client", { statusCode: 401 });
    const after = new TokenLink("never");
    const chain = new ChainedTokenCredential(
      new UnavailableLink("skip me"),
      new ScriptedLink(() => {
        throw failure;
      }),
      after,
    );
    await expect(chain.getToken("scope")).rejects.toBe(failure);
    expect(after.calls).toBe(0);
  });

  it("stops at a plain Error too (only 'unavailable' falls through)", async () => {
    const failure = new TypeError("bad argument");
    const chain = new ChainedTokenCredential(
      new ScriptedLink(() => {
        throw failure;
      }),
      new TokenLink("never"),
    );
    await expect(chain.getToken("scope")).rejects.toBe(failure);
  });

  it("reports every skipped link by class name and message when none gives a token", async () => {
    const first = new UnavailableLink("AZURE_TENANT_ID is not set");
    const second = new ScriptedLink(() => null);
    const third = new ScriptedLink(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a foreign library may throw
      throw { name: "CredentialUnavailableError", message: "no managed identity endpoint" };
    });
    const chain = new ChainedTokenCredential(first, second, third);
    const error = await chain.getToken("scope").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "AggregateAuthenticationError" });
    const aggregate = error as { errors: unknown[]; message: string };
    expect(aggregate.errors).toHaveLength(3);
    expect(aggregate.errors[0]).toMatchObject({ message: "AZURE_TENANT_ID is not set" });
    expect(aggregate.message).toContain("UnavailableLink: AZURE_TENANT_ID is not set");
    expect(aggregate.message).toContain("ScriptedLink: ScriptedLink returned no token.");
    expect(aggregate.message).toContain("ScriptedLink: no managed identity endpoint");
    expect(aggregate.message).not.toContain("[object Object]");
  });

  it("refuses zero links and anything that is not a credential with a TypeError", () => {
    expect(() => new ChainedTokenCredential()).toThrow(TypeError);
    const notCredentials: unknown[] = [{}, null, undefined, "credential", { getToken: "nope" }];
    for (const source of notCredentials) {
      expect(() => new ChainedTokenCredential(source as TokenCredential)).toThrow(TypeError);
    }
    expect(() => new ChainedTokenCredential(new TokenLink("ok"), {} as TokenCredential)).toThrow(
      /source 1/,
    );
  });

  describe("getTokenInfo", () => {
    it("uses a link's own getTokenInfo when it has one", async () => {
      const info: AccessTokenInfo = { token: "own", expiresOn: 4_102_444_800, tokenType: "pop" };
      const link = Object.assign(new TokenLink("via getToken"), {
        getTokenInfo: async () => info,
      });
      await expect(new ChainedTokenCredential(link).getTokenInfo("scope")).resolves.toBe(info);
      expect(link.calls).toBe(0);
    });

    it("converts getToken's milliseconds to seconds otherwise", async () => {
      const link = new ScriptedLink(() => ({
        token: "t",
        expiresOnTimestamp: 4_102_444_800_999,
        refreshAfterTimestamp: 1_767_225_600_500,
      }));
      await expect(new ChainedTokenCredential(link).getTokenInfo("scope")).resolves.toEqual({
        token: "t",
        expiresOn: 4_102_444_800,
        refreshOn: 1_767_225_600,
        tokenType: "Bearer",
      });
    });

    it("skips unavailable links like getToken does", async () => {
      const chain = new ChainedTokenCredential(
        new UnavailableLink("x"),
        new ScriptedLink(() => null),
        new TokenLink("t"),
      );
      await expect(chain.getTokenInfo("scope")).resolves.toMatchObject({ token: "t" });
    });
  });

  it("accepts an @azure/identity-shaped credential as a link", async () => {
    const identity = new IdentityStyleCredential();
    const chain = new ChainedTokenCredential(new UnavailableLink("x"), identity);
    await expect(chain.getToken("scope")).resolves.toEqual({
      token: "identity-token",
      expiresOnTimestamp: 4_102_444_800_999,
    });
    await expect(chain.getTokenInfo("scope")).resolves.toEqual({
      token: "identity-token",
      expiresOn: 4_102_444_800,
      tokenType: "Bearer",
    });
    expect(identity.calls).toBe(2);
  });

  describe("close", () => {
    it("closes every link that has close(), once, and is idempotent", async () => {
      const closes: string[] = [];
      const closable = (name: string) =>
        Object.assign(new TokenLink(name), {
          close: async () => {
            closes.push(name);
          },
        });
      const failing = Object.assign(new TokenLink("failing"), {
        close: async () => {
          closes.push("failing");
          throw new Error("close failed");
        },
      });
      const chain = new ChainedTokenCredential(
        closable("a"),
        new TokenLink("no close"),
        failing,
        closable("b"),
      );
      const first = chain.close();
      expect(chain.close()).toBe(first);
      await expect(first).resolves.toBeUndefined();
      await chain[Symbol.asyncDispose]();
      expect(closes.sort()).toEqual(["a", "b", "failing"]);
    });

    it("refuses token requests once closed", async () => {
      const chain = new ChainedTokenCredential(new TokenLink("t"));
      await chain.close();
      await expect(chain.getToken("scope")).rejects.toMatchObject({
        name: "CredentialUnavailableError",
        message: expect.stringContaining("closed") as unknown,
      });
      await expect(chain.getTokenInfo("scope")).rejects.toMatchObject({
        name: "CredentialUnavailableError",
      });
    });
  });
});

// Regression tests for issue 8 item 12: mistakes get a message that says what to pass, and no
// message quotes unbounded input.
import { describe, expect, it } from "vitest";
import { CredentialEventEmitter, credentialEvents, validateTenantId } from "../src/index.js";
import type { DependencyContainer } from "tsyringe";
import { TestCredential } from "./support/TestCredential.js";

const MiB = "a".repeat(1 << 20);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

describe("clear messages", () => {
  it("maxCachedTokens 0 names maxCachedTokens, not the engine's maxEntries", () => {
    const message = messageOf(() => new TestCredential({ maxCachedTokens: 0 }));
    expect(message).toMatch(/maxCachedTokens must be a positive integer/);
    expect(message).not.toMatch(/maxEntries/);
  });

  it("container {} says what a container is, not 'createChildContainer is not a function'", () => {
    const message = messageOf(
      () => new TestCredential({ container: {} as unknown as DependencyContainer }),
    );
    expect(message).toMatch(/options\.container must be a tsyringe DependencyContainer/);
  });

  it("abortSignal null says it must be an AbortSignal, not 'Cannot read properties of null'", async () => {
    const credential = new TestCredential({
      acquire: () => ({ token: "t", expiresOnTimestamp: 9e12 }),
    });
    await expect(
      credential.getToken("scope", { abortSignal: null as unknown as AbortSignal }),
    ).rejects.toThrow(/options\.abortSignal must be an AbortSignal/);
    await credential.close();
  });

  it("credentialEvents.on(name, 42) says the listener must be a function", () => {
    const bad = 42 as unknown as () => void;
    expect(() => credentialEvents.on("token:request", bad)).toThrow(
      /the listener must be a function/,
    );
    expect(() => new CredentialEventEmitter().once("token:error", bad)).toThrow(TypeError);
    expect(() => credentialEvents.off("token:request", bad)).not.toThrow();
  });

  it("a 1 MiB tenant id gives a short message, not a 1 MiB one", async () => {
    const message = messageOf(() => validateTenantId(MiB, "tenantId"));
    expect(message.length).toBeLessThan(300);
    expect(message).toMatch(/at most 256 characters/);
    const credential = new TestCredential({
      acquire: () => ({ token: "t", expiresOnTimestamp: 9e12 }),
    });
    const error = await credential.getToken("scope", { tenantId: MiB }).catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(300);
    // Bad characters in a long id are not quoted either.
    expect(messageOf(() => validateTenantId(`${"b".repeat(100)}/`)).length).toBeLessThan(300);
    await credential.close();
  });

  it("a 1 MiB bad scope is not quoted", async () => {
    const credential = new TestCredential({
      acquire: () => ({ token: "t", expiresOnTimestamp: 9e12 }),
    });
    const error = await credential
      .getToken(["ok", ` ${MiB}`, 42 as unknown as string])
      .catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(300);
    await credential.close();
  });
});

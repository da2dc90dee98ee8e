import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  AggregateAuthenticationError,
  ClientAuthenticationError,
  CredentialUnavailableError,
  hasErrorName,
  TimeoutError,
} from "../src/index.js";

const errorClasses = [
  ["CredentialUnavailableError", () => new CredentialUnavailableError("m")],
  ["ClientAuthenticationError", () => new ClientAuthenticationError("m")],
  ["AggregateAuthenticationError", () => new AggregateAuthenticationError([], "m")],
  ["AbortError", () => new AbortError()],
  ["TimeoutError", () => new TimeoutError(5)],
] as const;

/**
 * Compiles an error's source file to CommonJS and renames its class the way a minifier would, then
 * loads it: the `name` must not depend on the class identifier.
 */
function loadMinified(file: string, className: string): new (...args: unknown[]) => Error {
  const path = fileURLToPath(new URL(`../src/errors/${file}.ts`, import.meta.url));
  const { outputText } = ts.transpileModule(readFileSync(path, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  // Identifiers only: the string literal that sets `name` is what must survive.
  const minified = outputText.replaceAll(
    new RegExp(`(?<!["'])\\b${className}\\b(?!["'])`, "g"),
    "a",
  );
  const exports: Record<string, unknown> = {};
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- loading the transpiled module under test
  new Function("exports", minified)(exports);
  return exports["a"] as new (...args: unknown[]) => Error;
}

describe("error names", () => {
  it.each(errorClasses)("%s has a stable name equal to its class name", (name, make) => {
    const error = make();
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe(`${name}: ${error.message}`);
    expect(error.stack?.split("\n")[0]).toBe(`${name}: ${error.message}`);
  });

  it.each(errorClasses.map(([name]) => [name]))(
    "%s keeps its name when a minifier renames the class",
    (name) => {
      const Minified = loadMinified(name, name);
      expect(Minified.name).toBe("a");
      const error = new Minified([], "message");
      expect(error.name).toBe(name);
      expect(hasErrorName(error, name)).toBe(true);
    },
  );
});

describe("ClientAuthenticationError", () => {
  it("carries what the token endpoint said, and the cause", () => {
    const cause = new Error("socket hang up");
    const error = new ClientAuthenticationError("AADSTS7000215: Invalid client secret.", {
      statusCode: 401,
      errorCode: "invalid_client",
      errorCodes: [7000215],
      correlationId: "corr-1",
      traceId: "trace-1",
      cause,
    });
    expect(error.message).toBe("AADSTS7000215: Invalid client secret.");
    expect(error.statusCode).toBe(401);
    expect(error.errorCode).toBe("invalid_client");
    expect(error.errorCodes).toEqual([7000215]);
    expect(error.correlationId).toBe("corr-1");
    expect(error.traceId).toBe("trace-1");
    expect(error.cause).toBe(cause);
  });

  it("leaves unknown details unset", () => {
    const error = new ClientAuthenticationError("failed");
    expect(error.statusCode).toBeUndefined();
    expect(error.errorCode).toBeUndefined();
    expect(error.errorCodes).toBeUndefined();
    expect(error.correlationId).toBeUndefined();
    expect(error.traceId).toBeUndefined();
    expect("cause" in error).toBe(false);
  });
});

describe("other errors", () => {
  it("CredentialUnavailableError and AbortError keep their cause", () => {
    const cause = new Error("root");
    expect(new CredentialUnavailableError("no config", { cause }).cause).toBe(cause);
    expect(new AbortError(undefined, { cause }).cause).toBe(cause);
    expect(new AbortError().message).toMatch(/aborted/);
  });

  it("AggregateAuthenticationError lists the errors it aggregates", () => {
    const errors = [new CredentialUnavailableError("a"), new CredentialUnavailableError("b")];
    const error = new AggregateAuthenticationError(errors, "all failed");
    expect(error.errors).toBe(errors);
    expect(error.message).toBe("all failed");
  });

  it("TimeoutError says which timeout ran out", () => {
    const error = new TimeoutError(1500);
    expect(error.timeoutInMs).toBe(1500);
    expect(error.message).toContain("1500 ms");
  });
});

describe("hasErrorName", () => {
  it("matches by name, not by class", () => {
    class CopiedCredentialUnavailableError extends Error {
      override readonly name = "CredentialUnavailableError";
    }
    expect(hasErrorName(new CredentialUnavailableError("x"), "CredentialUnavailableError")).toBe(
      true,
    );
    expect(hasErrorName(new CopiedCredentialUnavailableError(), "CredentialUnavailableError")).toBe(
      true,
    );
    expect(hasErrorName({ name: "CredentialUnavailableError" }, "CredentialUnavailableError")).toBe(
      true,
    );
  });

  it("is false for anything else", () => {
    for (const value of [null, undefined, "CredentialUnavailableError", 42, {}, new Error("x")]) {
      expect(hasErrorName(value, "CredentialUnavailableError")).toBe(false);
    }
    expect(hasErrorName(new ClientAuthenticationError("x"), "CredentialUnavailableError")).toBe(
      false,
    );
  });
});

import { describe, expect, it } from "vitest";
import { SecretRedactor } from "../src/credential.js";

const lowerEscapes = (text: string): string =>
  text.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

describe("SecretRedactor", () => {
  const secret = 'a b/c+d=e~f&g%h"i\\jé😀';
  const redactor = new SecretRedactor([secret]);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);

  it.each([
    ["raw", secret],
    ["percent-encoded, upper case", encodeURIComponent(secret)],
    ["percent-encoded, lower case", lowerEscapes(encodeURIComponent(secret))],
    ["form-encoded (+ for space)", form],
    ["form-encoded, lower case", lowerEscapes(form)],
    ["JSON-escaped", JSON.stringify(secret).slice(1, -1)],
    [
      "JSON \\u-escaped",
      [...secret]
        .map((c) =>
          /[a-z]/.test(c)
            ? c
            : Array.from(
                { length: c.length },
                (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`,
              ).join(""),
        )
        .join(""),
    ],
  ])("masks the secret %s", (_how, spelling) => {
    expect(redactor.maskSecrets(`before ${spelling} after`)).toBe("before [REDACTED] after");
  });

  it("masks every secret however short, the longest first", () => {
    const short = new SecretRedactor(["ab", "abcdef"]);
    expect(short.maskSecrets("x abcdef y ab z")).toBe("x [REDACTED] y [REDACTED] z");
  });

  it("leaves text alone when there are no secrets, and letters keep their case", () => {
    expect(new SecretRedactor([]).maskSecrets("nothing")).toBe("nothing");
    expect(new SecretRedactor(["Abc"]).maskSecrets("abc ABC Abc")).toBe("abc ABC [REDACTED]");
  });

  it("masks tokens as well as secrets in response text and bodies", () => {
    const body = redactor.redactBody({ access_token: "opaque", nested: [{ echo: secret }] });
    expect(body).toEqual({ access_token: "[REDACTED]", nested: [{ echo: "[REDACTED]" }] });
    expect(redactor.redactText('{"access_token":"eyJhbGciOi.x.y"')).toBe(
      '{"access_token":"[REDACTED]"',
    );
  });
});

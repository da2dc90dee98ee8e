// Regression test for issue 8 "a custom HttpTransport that resolves a malformed response".
import { describe, expect, it } from "vitest";
import type { HttpRequest, HttpResponse, HttpTransport } from "../src/index.js";
import { TestCredential } from "./support/TestCredential.js";
import { testContainer } from "./support/testContainer.js";

class BrokenTransport implements HttpTransport {
  calls = 0;
  constructor(readonly answer: unknown) {}
  async send(_request: HttpRequest): Promise<HttpResponse> {
    this.calls++;
    return this.answer as HttpResponse;
  }
}

describe("a custom transport's malformed response", () => {
  it.each([
    ["undefined", undefined],
    ["a string", "200 OK"],
    ["a string status", { status: "200", headers: {}, body: "{}" }],
    ["no headers", { status: 200, body: "{}" }],
    ["a Buffer body", { status: 200, headers: {}, body: Buffer.from("{}") }],
  ])(
    "%s is not retried, and the error names the transport instead of blaming the network",
    async (_, answer) => {
      const transport = new BrokenTransport(answer);
      const credential = new TestCredential({ container: testContainer({ transport }) });
      const error = (await credential.getToken("scope").catch((e: unknown) => e)) as Error;
      expect(error.name).toBe("ClientAuthenticationError");
      expect(error.message).toMatch(/BrokenTransport .* returned an invalid response/);
      expect(error.message).not.toMatch(/check the network/i);
      expect(transport.calls).toBe(1);
      await credential.close();
    },
  );
});

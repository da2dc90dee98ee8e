// A private CA for the authority: trusted through tlsOptions.ca only, and an untrusted
// certificate fails at once with a message that says how to trust it (issue 8: it was retried 4
// times). Against the local authority's self-signed HTTPS mode.
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCOPE = "https://vault.azure.net/.default";
let authority: LocalAuthority;
let ca: string;

beforeAll(async () => {
  authority = await startAuthority({ https: true });
  ca = authority.certificate!;
});
afterAll(async () => {
  await authority.close();
});

const credential = (options: ConstructorParameters<typeof ClientSecretCredential>[3] = {}) =>
  new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: authority.url,
    ...options,
  });

describe("TLS trust for the authority", () => {
  it("a self-signed authority trusted through tlsOptions.ca (string, Buffer or array) gets tokens", async () => {
    for (const option of [ca, Buffer.from(ca), [ca], [Buffer.from(ca)]]) {
      await using cred = credential({ tlsOptions: { ca: option } });
      const { token } = await cred.getToken(SCOPE);
      expect(token.split(".")).toHaveLength(3);
    }
  });

  it("an untrusted self-signed authority fails at once (it was retried 4 times) and says how to trust the CA", async () => {
    await using cred = credential({ retryOptions: { maxRetries: 3, retryDelayInMs: 0 } });
    const attempts: number[] = [];
    cred.events.on("http:response", (event) => attempts.push(event.attempt));
    const before = authority.tokenRequestCount();
    const error = (await cred.getToken(SCOPE).catch((caught: unknown) => caught)) as Error & {
      statusCode?: number;
    };
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toMatch(
      /^The TLS certificate of https:\/\/127\.0\.0\.1:\d+ could not be verified \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
    expect(error.message).toContain("tlsOptions: { ca }");
    expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(error.statusCode).toBeUndefined();
    expect(attempts).toEqual([0]);
    expect(authority.tokenRequestCount()).toBe(before);
  });

  it("a CA that did not sign the authority's certificate is still refused, and not retried", async () => {
    {
      const other = await generate([{ name: "commonName", value: "some other CA" }], {
        keySize: 2048,
        algorithm: "sha256",
        extensions: [{ name: "basicConstraints", cA: true, critical: true }],
      });
      await using cred = credential({
        tlsOptions: { ca: other.cert },
        retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
      });
      const attempts: number[] = [];
      cred.events.on("http:response", (event) => attempts.push(event.attempt));
      const error = (await cred.getToken(SCOPE).catch((caught: unknown) => caught)) as Error;
      expect(error.message).toContain("could not be verified");
      expect(attempts).toEqual([0]);
    }
  });

  it("refuses tlsOptions.ca that is not PEM, at construction, without quoting it", () => {
    expect(() => credential({ tlsOptions: { ca: "not a certificate hunter2" } })).toThrow(
      /tlsOptions\.ca must hold PEM certificates/,
    );
    const notPem: unknown = 42;
    expect(() => credential({ tlsOptions: { ca: [ca, notPem as string] } })).toThrow(
      /tlsOptions\.ca\[1\] must be a PEM string or Buffer/,
    );
    try {
      credential({ tlsOptions: { ca: "not a certificate hunter2" } });
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});

import { inspect } from "node:util";
import { ClientAuthenticationError } from "@credchain/core";
import {
  createWorkloadIssuer,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
  type WorkloadIssuer,
} from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientAssertionCredential } from "../src/index.js";
import { GRAPH, rejectionOf, STORAGE, testServices, VAULT } from "./support.js";

const CLIENT_ID = "assertion-app";
const SUBJECT = "repo:contoso/payments:ref:refs/heads/main";
let authority: LocalAuthority;
let issuer: WorkloadIssuer;

beforeAll(async () => {
  issuer = await createWorkloadIssuer({ issuer: "https://token.actions.example/" });
  authority = await startAuthority({
    clients: [{ clientId: CLIENT_ID, federatedCredentials: [issuer.federatedCredential(SUBJECT)] }],
  });
});
afterAll(async () => {
  await authority.close();
});

describe("ClientAssertionCredential", () => {
  it("calls getAssertion for each network request, never for a cache hit, with an abortSignal", async () => {
    const calls: Array<{ abortSignal?: AbortSignal }> = [];
    const { container } = testServices();
    await using credential = new ClientAssertionCredential(
      DEMO_TENANT_ID,
      CLIENT_ID,
      (options) => {
        calls.push(options);
        return issuer.mint({ subject: SUBJECT });
      },
      { authority: authority.url, container },
    );
    await Promise.all([credential.getToken(GRAPH), credential.getToken(GRAPH)]);
    await credential.getToken(GRAPH);
    await credential.getTokenInfo(GRAPH);
    expect(calls).toHaveLength(1);
    await credential.getToken(VAULT);
    await credential.getToken(STORAGE, {
      claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }),
    });
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.abortSignal).toBeInstanceOf(AbortSignal);
      expect(call.abortSignal?.aborted).toBe(false);
    }
    expect(authority.tokenRequestCount()).toBe(3);
  });

  it("passes the caller's abort on to getAssertion", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await using credential = new ClientAssertionCredential(
      DEMO_TENANT_ID,
      CLIENT_ID,
      ({ abortSignal }) => {
        seen = abortSignal;
        return new Promise<string>((_resolve, reject) => {
          abortSignal?.addEventListener("abort", () => reject(abortSignal.reason as Error), {
            once: true,
          });
          controller.abort();
        });
      },
      { authority: authority.url },
    );
    const error = await rejectionOf(credential.getToken(GRAPH, { abortSignal: controller.signal }));
    expect(error.name).toBe("AbortError");
    expect(seen?.aborted).toBe(true);
  });

  it("Entra's refusal of the assertion comes back as ClientAuthenticationError, the assertion masked", async () => {
    const wrong = issuer.mint({ subject: "repo:contoso/other:ref:refs/heads/main" });
    await using credential = new ClientAssertionCredential(DEMO_TENANT_ID, CLIENT_ID, () => wrong, {
      authority: authority.url,
    });
    const error = await rejectionOf(credential.getToken(GRAPH));
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(error.errorCodes).toEqual([700213]);
    const text = `${error.message}${inspect(error, { depth: Infinity, showHidden: true })}${JSON.stringify(error)}`;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(wrong.split(".")[2]);
  });

  it("an empty assertion fails the request; a non-function is a TypeError at construction", async () => {
    await using credential = new ClientAssertionCredential(DEMO_TENANT_ID, CLIENT_ID, () => "", {
      authority: authority.url,
    });
    await expect(credential.getToken(GRAPH)).rejects.toThrow(
      /getAssertion returned an empty string/,
    );
    expect(
      () =>
        new ClientAssertionCredential(DEMO_TENANT_ID, CLIENT_ID, "jwt" as never, {
          authority: authority.url,
        }),
    ).toThrow(/ClientAssertionCredential: getAssertion must be a function/);
  });
});

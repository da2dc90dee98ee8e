// @credchain/local-authority README, "Use it in a test": a vitest test against the authority.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority(); // http://127.0.0.1:<free port>
});
afterAll(async () => {
  await authority.close();
});

it("gets a token, then survives a throttled request", async () => {
  const credential = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    {
      authority: authority.url, // the credential POSTs {authority}/{tenant}/oauth2/v2.0/token
    },
  );
  const { token } = await credential.getToken("https://graph.microsoft.com/.default");
  expect(token.split(".")).toHaveLength(3);
  expect(authority.tokenRequestCount()).toBe(1);

  // The next token request gets a 429 and the one after succeeds: the credential retries.
  authority.enqueueFaults([{ kind: "status", status: 429, retryAfter: "0" }]);
  const vault = await credential.getToken("https://vault.azure.net/.default");
  expect(vault.token).not.toBe(token);
  expect(authority.tokenRequestCount()).toBe(3);
  await credential.close();
});

// @credchain/local-authority README, "One authority per test file": useLocalAuthority() in vitest.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  useLocalAuthority,
} from "@credchain/local-authority";

const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } }); // + any startAuthority option

it("gets a token", async () => {
  await using credential = new ClientSecretCredential(
    DEMO_TENANT_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    { authority: authority.url },
  );
  const { token } = await credential.getToken("https://graph.microsoft.com/.default");
  expect(token.split(".")).toHaveLength(3);
  expect(authority.tokenRequestCount()).toBe(1);
});

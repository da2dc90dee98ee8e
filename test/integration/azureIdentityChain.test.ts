// Interoperability: an @azure/identity credential is a link in a credchain chain, and the chain
// treats its "unavailable" error exactly as it treats ours.
import { EnvironmentCredential as AzureEnvironmentCredential } from "@azure/identity";
import { ChainedTokenCredential } from "@credchain/core";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const AZURE_VARIABLES = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"];

describe("ChainedTokenCredential with an @azure/identity link", () => {
  let authority: LocalAuthority;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    for (const name of AZURE_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    authority = await startAuthority();
  });

  afterAll(async () => {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    await authority.close();
  });

  it("skips the unavailable Azure EnvironmentCredential and answers with ours", async () => {
    const ours = new ClientSecretCredential("tenant-a", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
      authority: authority.url,
    });
    const chain = new ChainedTokenCredential(new AzureEnvironmentCredential(), ours);
    const token = await chain.getToken("https://vault.azure.net/.default");
    expect(token.token.split(".")).toHaveLength(3);
    expect(authority.tokenRequestCount()).toBe(1);
    const info = await chain.getTokenInfo("https://vault.azure.net/.default");
    expect(info.token).toBe(token.token);
    expect(info.expiresOn).toBe(Math.floor(token.expiresOnTimestamp / 1000));
    await chain.close();
  });

  it("lists the Azure link by class name when every link is unavailable", async () => {
    const chain = new ChainedTokenCredential(new AzureEnvironmentCredential());
    await expect(chain.getToken("https://vault.azure.net/.default")).rejects.toMatchObject({
      name: "AggregateAuthenticationError",
      message: expect.stringContaining("EnvironmentCredential"),
    });
  });
});

// Interoperability with code we did not write: oauth2-mock-server issues a token to our
// credential through its client-credentials grant, at an Entra-shaped token path.
import { ClientSecretCredential } from "@credchain/client-secret";
import { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";

const TENANT = "interop-tenant";

describe("oauth2-mock-server", () => {
  let server: OAuth2Server;

  beforeAll(async () => {
    server = new OAuth2Server(undefined, undefined, {
      endpoints: { token: `/${TENANT}/oauth2/v2.0/token` },
    });
    await server.issuer.keys.generate("RS256");
    await server.start(0, "127.0.0.1");
  });

  afterAll(async () => {
    await server.stop();
  });

  it("issues a token our credential accepts, with the scope we asked for", async () => {
    const seen: string[] = [];
    // `on`, not `once`: a second request must be seen for the cache assertion below to mean anything.
    const record = (
      _token: unknown,
      req: { body: { scope: string; grant_type: string } },
    ): void => {
      seen.push(`${req.body.grant_type} ${req.body.scope}`);
    };
    server.service.on("beforeTokenSigning", record);
    onTestFinished(() => {
      server.service.off("beforeTokenSigning", record);
    });
    const credential = new ClientSecretCredential(TENANT, "interop-client", "interop-secret", {
      authority: server.issuer.url as string,
    });
    const token = await credential.getToken("api://interop/.default");
    expect(seen).toEqual(["client_credentials api://interop/.default"]);
    const payload = JSON.parse(Buffer.from(token.token.split(".")[1]!, "base64url").toString()) as {
      scope: string;
    };
    expect(payload.scope).toBe("api://interop/.default");
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    // Served from cache the second time: the mock server sees no second request.
    await credential.getToken("api://interop/.default");
    expect(seen).toHaveLength(1);
    await credential.close();
  });
});

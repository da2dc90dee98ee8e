import { constants, createPrivateKey, randomUUID, sign } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClientCertificate,
  createWorkloadIssuer,
  DEMO_TENANT_ID,
  startAuthority,
  type ClientCertificate,
  type LocalAuthority,
  type WorkloadIssuer,
} from "../src/index.js";
import { GRAPH_SCOPE, postToken, type AadErrorJson } from "./helpers.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CERT_CLIENT = "cert-client";
const FED_CLIENT = "workload-client";
const SUBJECT = "system:serviceaccount:apps:payments";
const now = Date.UTC(2030, 0, 2, 3, 4, 5);

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Signs a JWT the way a client would, independent of the credential package. */
function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKeyPem: string,
): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const key = createPrivateKey(privateKeyPem);
  const signature =
    header.alg === "PS256"
      ? sign("sha256", Buffer.from(input), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : sign("sha256", Buffer.from(input), key);
  return `${input}.${signature.toString("base64url")}`;
}

let authority: LocalAuthority;
let cert: ClientCertificate;
let other: ClientCertificate;
let expired: ClientCertificate;
let issuer: WorkloadIssuer;
let stranger: WorkloadIssuer;

function assertion(
  overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown> } = {},
  signer: ClientCertificate = cert,
): string {
  const seconds = Math.floor(now / 1000);
  return signJwt(
    { alg: "PS256", typ: "JWT", "x5t#S256": signer.thumbprintSha256, ...overrides.header },
    {
      aud: authority.tokenEndpoint(),
      iss: CERT_CLIENT,
      sub: CERT_CLIENT,
      jti: randomUUID(),
      nbf: seconds,
      iat: seconds,
      exp: seconds + 600,
      ...overrides.payload,
    },
    signer.privateKey,
  );
}

function exchange(clientId: string, clientAssertion: string, extra: Record<string, string> = {}) {
  return postToken(authority, {
    grant_type: "client_credentials",
    client_id: clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: clientAssertion,
    scope: GRAPH_SCOPE,
    ...extra,
  });
}

async function aadError(
  response: Response,
): Promise<{ status: number; code: number | undefined; body: AadErrorJson }> {
  const body = (await response.json()) as AadErrorJson;
  return { status: response.status, code: body.error_codes?.[0], body };
}

beforeAll(async () => {
  [cert, other, expired, issuer, stranger] = await Promise.all([
    createClientCertificate({ notBefore: new Date(now - 86_400_000) }),
    createClientCertificate({ notBefore: new Date(now - 86_400_000) }),
    createClientCertificate({
      notBefore: new Date(now - 10 * 86_400_000),
      notAfter: new Date(now - 86_400_000),
    }),
    createWorkloadIssuer({ now: () => now }),
    createWorkloadIssuer({ now: () => now }),
  ]);
  authority = await startAuthority({
    now: () => now,
    clients: [
      { clientId: CERT_CLIENT, certificates: [cert.certificate, expired.certificate] },
      { clientId: FED_CLIENT, federatedCredentials: [issuer.federatedCredential(SUBJECT)] },
    ],
  });
});
afterAll(async () => {
  await authority.close();
});

describe("private_key_jwt: certificate assertions", () => {
  it("issues a token for a PS256 assertion signed by a registered certificate", async () => {
    const response = await exchange(CERT_CLIENT, assertion());
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^ey/);
  });

  it("accepts RS256, the x5t (SHA-1) header and the v1 token endpoint as aud", async () => {
    const sha1 = Buffer.from(cert.thumbprint, "hex").toString("base64url");
    const response = await exchange(
      CERT_CLIENT,
      assertion({
        header: { alg: "RS256", "x5t#S256": undefined, x5t: sha1 },
        payload: { aud: `${authority.url}/${DEMO_TENANT_ID}/oauth2/token` },
      }),
    );
    expect(response.status).toBe(200);
  });

  it("refuses a certificate that is not registered: AADSTS700027 with its thumbprint", async () => {
    const { status, code, body } = await aadError(
      await exchange(CERT_CLIENT, assertion({}, other)),
    );
    expect([status, code]).toEqual([401, 700027]);
    expect(body.error).toBe("invalid_client");
    expect(body.error_description).toContain(other.thumbprintSha256);
  });

  it("refuses a signature that does not verify: AADSTS700027", async () => {
    // The header names the registered certificate; the key is another one.
    const forged = signJwt(
      { alg: "PS256", "x5t#S256": cert.thumbprintSha256 },
      {
        aud: authority.tokenEndpoint(),
        iss: CERT_CLIENT,
        sub: CERT_CLIENT,
        jti: randomUUID(),
        exp: now / 1000 + 600,
      },
      other.privateKey,
    );
    expect((await aadError(await exchange(CERT_CLIENT, forged))).code).toBe(700027);
    const signed = assertion();
    const tampered = `${signed.slice(0, -4)}${signed.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expect((await aadError(await exchange(CERT_CLIENT, tampered))).code).toBe(700027);
  });

  it("refuses alg none and HS256: AADSTS700027", async () => {
    const [h, p] = assertion().split(".");
    const none = `${segment({ alg: "none", "x5t#S256": cert.thumbprintSha256 })}.${p}.`;
    expect((await aadError(await exchange(CERT_CLIENT, none))).code).toBe(50027);
    const hs = `${segment({ alg: "HS256", "x5t#S256": cert.thumbprintSha256 })}.${p}.${h}`;
    expect((await aadError(await exchange(CERT_CLIENT, hs))).code).toBe(700027);
  });

  it("refuses a registered certificate outside its validity period: AADSTS7000274", async () => {
    const { code } = await aadError(await exchange(CERT_CLIENT, assertion({}, expired)));
    expect(code).toBe(7000274);
  });

  it("refuses a wrong aud (AADSTS700023) and iss/sub other than the client (AADSTS700021)", async () => {
    const wrongAud = assertion({ payload: { aud: authority.tokenEndpoint("another-tenant") } });
    expect((await aadError(await exchange(CERT_CLIENT, wrongAud))).code).toBe(700023);
    const wrongSub = assertion({ payload: { sub: "someone-else" } });
    expect((await aadError(await exchange(CERT_CLIENT, wrongSub))).code).toBe(700021);
  });

  it("refuses an expired or not-yet-valid assertion beyond 5 minutes of skew: AADSTS700024", async () => {
    const s = Math.floor(now / 1000);
    const late = assertion({ payload: { nbf: s - 1200, iat: s - 1200, exp: s - 301 } });
    const { code, body } = await aadError(await exchange(CERT_CLIENT, late));
    expect(code).toBe(700024);
    expect(body.error_description).toContain("not within its valid time range");
    const early = assertion({ payload: { nbf: s + 301, exp: s + 900 } });
    expect((await aadError(await exchange(CERT_CLIENT, early))).code).toBe(700024);
    const skewed = assertion({ payload: { nbf: s - 900, exp: s - 200 } });
    expect((await exchange(CERT_CLIENT, skewed)).status).toBe(200);
  });

  it("refuses a replayed jti, and an assertion without one", async () => {
    const once = assertion();
    expect((await exchange(CERT_CLIENT, once)).status).toBe(200);
    expect((await aadError(await exchange(CERT_CLIENT, once))).code).toBe(7000282);
    expect(
      (await aadError(await exchange(CERT_CLIENT, assertion({ payload: { jti: undefined } }))))
        .code,
    ).toBe(50027);
  });

  it("checks that an x5c chain starts with the certificate x5t#S256 names", async () => {
    const der = (pem: string): string => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
    const good = assertion({ header: { x5c: [der(cert.certificate)] } });
    expect((await exchange(CERT_CLIENT, good)).status).toBe(200);
    const bad = assertion({ header: { x5c: [der(other.certificate)] } });
    expect((await aadError(await exchange(CERT_CLIENT, bad))).code).toBe(700027);
  });

  it("answers malformed requests with Entra's codes", async () => {
    expect((await aadError(await exchange(CERT_CLIENT, "not-a-jwt"))).code).toBe(50027);
    const wrongType = await exchange(CERT_CLIENT, assertion(), {
      client_assertion_type: "urn:other",
    });
    expect((await aadError(wrongType)).code).toBe(70002);
    const both = await exchange(CERT_CLIENT, assertion(), { client_secret: "also" });
    expect((await aadError(both)).code).toBe(9002313);
    const unknown = await exchange(
      "nobody",
      assertion({ payload: { iss: "nobody", sub: "nobody" } }),
    );
    expect((await aadError(unknown)).code).toBe(700016);
    // A certificate-only client has no secret to match.
    const secret = await postToken(authority, {
      grant_type: "client_credentials",
      client_id: CERT_CLIENT,
      client_secret: "guess",
      scope: GRAPH_SCOPE,
    });
    expect((await aadError(secret)).code).toBe(7000215);
  });

  it("rejects registrations without any credential or with a bad certificate", async () => {
    await expect(startAuthority({ clients: [{ clientId: "empty" }] })).rejects.toThrow(
      /needs a clientSecret, certificates or federatedCredentials/,
    );
    await expect(
      startAuthority({ clients: [{ clientId: "bad", certificates: ["nope"] }] }),
    ).rejects.toThrow(/certificates\[0\] is not a PEM X.509 certificate/);
  });
});

describe("federated credentials: workload tokens", () => {
  it("exchanges a token of the trusted issuer for the registered subject", async () => {
    const response = await exchange(FED_CLIENT, issuer.mint({ subject: SUBJECT }));
    expect(response.status).toBe(200);
    // The same projected token may be exchanged again: no jti replay rule for federated tokens.
    const token = issuer.mint({ subject: SUBJECT });
    expect((await exchange(FED_CLIENT, token)).status).toBe(200);
    expect((await exchange(FED_CLIENT, token)).status).toBe(200);
  });

  it("names the mismatch: issuer AADSTS700211, subject 700213, audience 700212", async () => {
    const wrongIssuer = await aadError(
      await exchange(FED_CLIENT, stranger.mint({ subject: SUBJECT })),
    );
    expect(wrongIssuer.code).toBe(700211);
    expect(wrongIssuer.body.error_description).toContain(stranger.issuer);
    const wrongSubject = await aadError(
      await exchange(FED_CLIENT, issuer.mint({ subject: "system:serviceaccount:apps:other" })),
    );
    expect(wrongSubject.code).toBe(700213);
    const wrongAudience = await aadError(
      await exchange(FED_CLIENT, issuer.mint({ subject: SUBJECT, audience: "api://other" })),
    );
    expect(wrongAudience.code).toBe(700212);
  });

  it("refuses an expired token (AADSTS700024) and a forged signature", async () => {
    const old = issuer.mint({ subject: SUBJECT, nowMs: now - 7200_000, lifetimeInSeconds: 3600 });
    const { code, body } = await aadError(await exchange(FED_CLIENT, old));
    expect(code).toBe(700024);
    expect(body.error_description).toContain("expiry time of assertion");
    // A token "from" the trusted issuer, signed by another key.
    const [h, p] = stranger.mint({ subject: SUBJECT }).split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${h}.${segment({ ...payload, iss: issuer.issuer })}.${stranger.mint().split(".")[2]}`;
    expect((await aadError(await exchange(FED_CLIENT, forged))).code).toBe(50013);
  });

  it("fetches the issuer's keys from a jwksUri", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(issuer.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
      authority.setClients([
        {
          clientId: FED_CLIENT,
          federatedCredentials: [{ issuer: issuer.issuer, subject: SUBJECT, jwksUri }],
        },
      ]);
      expect((await exchange(FED_CLIENT, issuer.mint({ subject: SUBJECT }))).status).toBe(200);
      expect((await aadError(await exchange(FED_CLIENT, issuer.mint({ subject: "x" })))).code).toBe(
        700213,
      );
    } finally {
      server.close();
      server.closeAllConnections();
      authority.setClients([
        { clientId: CERT_CLIENT, certificates: [cert.certificate, expired.certificate] },
        { clientId: FED_CLIENT, federatedCredentials: [issuer.federatedCredential(SUBJECT)] },
      ]);
    }
  });
});

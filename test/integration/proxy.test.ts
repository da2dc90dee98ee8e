// Behind a proxy: token requests through a real forward proxy (tinyproxy) and a recording CONNECT
// proxy, proxy failures told apart from the authority's answers, and the environment variables
// read in child processes. Everything runs on 127.0.0.1: the authority's host name
// (`authority.test`) is known only to the recording proxy, which tunnels it to a local TLS front
// for the local authority, so no name is ever resolved through DNS.
import { execFile } from "node:child_process";
import { ClientSecretCredential } from "@credchain/client-secret";
import { Tokens, usePlugin, type HttpRequest } from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  startAuthority,
  type LocalAuthority,
} from "@credchain/local-authority";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  PROXIED_HOST,
  TINYPROXY,
  closedPort,
  loopbackProxyCertificate,
  proxiedHostCertificate,
  startRecordingProxy,
  startTinyproxy,
  startTlsFront,
  type RecordingProxy,
} from "./support/proxies.js";

const SCOPE = "https://vault.azure.net/.default";
const AUTHORITY = `https://${PROXIED_HOST}`;
const TARGET = `${PROXIED_HOST}:443`;

let authority: LocalAuthority;
let front: { port: number; close(): Promise<void> };
let ca: string;
let proxy: RecordingProxy;

beforeAll(async () => {
  authority = await startAuthority();
  const certificate = await proxiedHostCertificate();
  ca = certificate.cert;
  front = await startTlsFront(certificate, Number(new URL(authority.url).port));
  proxy = await startRecordingProxy({ [TARGET]: front.port });
});
afterAll(async () => {
  await proxy.close();
  await front.close();
  await authority.close();
});

function credential(options: ConstructorParameters<typeof ClientSecretCredential>[3] = {}) {
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority: AUTHORITY,
    tlsOptions: { ca },
    retryOptions: { maxRetries: 1, retryDelayInMs: 0 },
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

describe("through a recording CONNECT proxy", () => {
  beforeEach(() => {
    (proxy.connects as unknown[]).length = 0;
  });

  it("tunnels https token requests with CONNECT and reuses the tunnel (keep-alive)", async () => {
    await using cred = credential({ proxy: proxy.url });
    const before = authority.tokenRequestCount();
    const first = await cred.getToken(SCOPE);
    for (let i = 0; i < 5; i++) await cred.getToken(`api://resource-${i}/.default`);
    expect(first.token.split(".")).toHaveLength(3);
    expect(authority.tokenRequestCount() - before).toBe(6);
    // Six requests, at most two tunnels: undici returns a connection to its pool a tick after the
    // body ends, so a request sent at once after the first may open a second one; then both are reused.
    expect(proxy.connects.length).toBeLessThanOrEqual(2);
    for (const connect of proxy.connects) {
      expect(connect).toEqual({ target: TARGET, proxyAuthorization: undefined });
    }
  });

  it("sends the userinfo as Basic credentials, percent-decoded, and never leaks them", async () => {
    const guarded = await startRecordingProxy(
      { [TARGET]: front.port },
      { credentials: "us@er:p:ss w0rd" },
    );
    try {
      const url = new URL(guarded.url);
      await using cred = credential({ proxy: `http://us%40er:p%3Ass%20w0rd@${url.host}` });
      await cred.getToken(SCOPE);
      expect(guarded.connects).toEqual([{ target: TARGET, proxyAuthorization: "us@er:p:ss w0rd" }]);
      expect(JSON.stringify(cred)).not.toContain("w0rd");
    } finally {
      await guarded.close();
    }
  });

  it("a 407 is a ProxyAuthenticationError naming the proxy with the password masked, not retried", async () => {
    const guarded = await startRecordingProxy(
      { [TARGET]: front.port },
      { credentials: "user:right" },
    );
    try {
      const url = new URL(guarded.url);
      await using cred = credential({
        proxy: `http://user:wrong-password@${url.host}`,
        retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
      });
      const error = await failure(cred.getToken(SCOPE));
      expect(error.name).toBe("ClientAuthenticationError");
      expect((error.cause as Error).name).toBe("ProxyAuthenticationError");
      expect(error.message).toContain(`http://user:***@${url.host}`);
      expect(error.message).toContain("407");
      expect(error.message).toContain("The token endpoint was not reached");
      expect(error.statusCode).toBeUndefined();
      expect(
        JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) }),
      ).not.toContain("wrong-password");
      expect(guarded.connects).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it("a refused CONNECT is a ProxyTunnelError naming the proxy and the target, not retried", async () => {
    const refusing = await startRecordingProxy({}, { answer: 403 });
    try {
      await using cred = credential({
        proxy: refusing.url,
        retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
      });
      const error = await failure(cred.getToken(SCOPE));
      expect(error.name).toBe("ClientAuthenticationError");
      expect((error.cause as Error).name).toBe("ProxyTunnelError");
      expect(error.message).toContain(refusing.url);
      expect(error.message).toContain(`tunnel to ${PROXIED_HOST}`);
      expect(error.message).toContain("CONNECT answered 403");
      expect(refusing.connects).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });

  it("a proxy that refuses connections is a ProxyConnectionError, after the retries", async () => {
    const port = await closedPort();
    await using cred = credential({ proxy: `http://user:secret-pass@127.0.0.1:${port}` });
    const attempts: number[] = [];
    cred.events.on("http:response", (event) => attempts.push(event.attempt));
    const error = await failure(cred.getToken(SCOPE));
    expect(error.name).toBe("ClientAuthenticationError");
    expect((error.cause as Error).name).toBe("ProxyConnectionError");
    expect(error.message).toMatch(
      new RegExp(
        `^Could not connect to the proxy http://user:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(from proxy\\): ECONNREFUSED`,
      ),
    );
    expect(error.message).toContain("(2 attempts)");
    expect(error.message).not.toContain("secret-pass");
    expect(error.message).not.toContain("Could not reach the token endpoint");
    expect(attempts).toEqual([0, 1]);
  });

  it("without the proxy's CA (a TLS-inspecting proxy) fails at once and says how to trust it", async () => {
    await using cred = credential({ proxy: proxy.url, tlsOptions: {} });
    const error = await failure(cred.getToken(SCOPE));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain("tlsOptions: { ca }");
    expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(proxy.connects).toHaveLength(1);
  });
});

describe("through an https:// recording CONNECT proxy (TLS on 127.0.0.1, self-signed)", () => {
  const USERINFO = "us%40er:p%3Ass%20w0rd";
  let secure: RecordingProxy;
  let proxyCa: string;
  let secureUrl: (userinfo?: string) => string;

  beforeAll(async () => {
    const certificate = await loopbackProxyCertificate();
    proxyCa = certificate.cert;
    secure = await startRecordingProxy(
      { [TARGET]: front.port },
      { tls: certificate, credentials: "us@er:p:ss w0rd" },
    );
    const { host } = new URL(secure.url);
    secureUrl = (userinfo = USERINFO) => `https://${userinfo}@${host}`;
  });
  afterAll(() => secure.close());
  beforeEach(() => {
    (secure.connects as unknown[]).length = 0;
  });

  it("tlsOptions.ca trusts both the proxy and the authority; Basic credentials percent-decoded", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }): void => {
      warnings.push(warning.code ?? warning.name);
    };
    process.on("warning", onWarning);
    try {
      await using cred = credential({ proxy: secureUrl(), tlsOptions: { ca: [ca, proxyCa] } });
      const { token } = await cred.getToken(SCOPE);
      await cred.getToken("api://another-resource/.default");
      expect(token.split(".")).toHaveLength(3);
      expect(secure.connects.length).toBeGreaterThanOrEqual(1);
      for (const connect of secure.connects) {
        expect(connect).toEqual({ target: TARGET, proxyAuthorization: "us@er:p:ss w0rd" });
      }
      expect(JSON.stringify(cred)).not.toContain("w0rd");
      // No TLS server name for an IP-literal proxy (RFC 6066): Node would warn (DEP0123).
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain("DEP0123");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("an untrusted proxy certificate names the proxy (password masked), is not retried", async () => {
    await using cred = credential({
      proxy: secureUrl(),
      tlsOptions: { ca },
      retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
    });
    const attempts: number[] = [];
    cred.events.on("http:response", (event) => attempts.push(event.attempt));
    const error = await failure(cred.getToken(SCOPE));
    expect(error.name).toBe("ClientAuthenticationError");
    expect((error.cause as Error).name).toBe("ProxyConnectionError");
    expect(error.message).toContain(
      `The TLS certificate of the proxy ${secureUrl("us%40er:***")} (from proxy) could not be verified (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
    expect(error.message).toContain("tlsOptions: { ca }");
    expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(error.message).toContain("The token endpoint was not reached");
    expect(error.message).not.toContain(`certificate of ${AUTHORITY}`);
    expect(
      JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) }),
    ).not.toMatch(/w0rd|p%3Ass/);
    expect(attempts).toEqual([0]);
    // TLS to the proxy failed before any CONNECT was sent.
    expect(secure.connects).toEqual([]);
  });

  it("a proxy certificate for another name (localhost, not 127.0.0.1) names the proxy, not retried", async () => {
    // `localhost` comes from /etc/hosts, never DNS; the certificate names only 127.0.0.1.
    const proxyUrl = `https://${USERINFO}@localhost:${secure.port}`;
    await using cred = credential({
      proxy: proxyUrl,
      tlsOptions: { ca: [ca, proxyCa] },
      retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
    });
    const attempts: number[] = [];
    cred.events.on("http:response", (event) => attempts.push(event.attempt));
    const error = await failure(cred.getToken(SCOPE));
    expect((error.cause as Error).name).toBe("ProxyConnectionError");
    expect(error.message).toContain(
      `The TLS certificate of the proxy https://us%40er:***@localhost:${secure.port} (from proxy) could not be verified (ERR_TLS_CERT_ALTNAME_INVALID)`,
    );
    expect(attempts).toEqual([0]);
    expect(secure.connects).toEqual([]);
  });

  it("the proxy trusted but not the authority: the authority's certificate is the one named", async () => {
    await using cred = credential({
      proxy: secureUrl(),
      tlsOptions: { ca: proxyCa },
      retryOptions: { maxRetries: 3, retryDelayInMs: 0 },
    });
    const error = await failure(cred.getToken(SCOPE));
    expect(error.name).toBe("ClientAuthenticationError");
    expect(error.message).toContain(`The TLS certificate of ${AUTHORITY} could not be verified`);
    expect(error.message).not.toContain("127.0.0.1");
    expect(secure.connects).toEqual([{ target: TARGET, proxyAuthorization: "us@er:p:ss w0rd" }]);
  });
});

describe("a transport registered by a plugin", () => {
  it("wins over the proxy option and the environment, exactly as before", async () => {
    (proxy.connects as unknown[]).length = 0;
    const sent: string[] = [];
    const undo = usePlugin({
      name: "test-recording-transport",
      register(container) {
        container.register(Tokens.HttpTransport, {
          useValue: {
            async send(request: HttpRequest) {
              sent.push(request.url);
              return {
                status: 200,
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ token_type: "Bearer", access_token: "t", expires_in: 3600 }),
              };
            },
          },
        });
      },
    });
    try {
      await using cred = credential({ proxy: proxy.url });
      expect((await cred.getToken(SCOPE)).token).toBe("t");
      expect(sent).toEqual([`${AUTHORITY}/${DEMO_TENANT_ID}/oauth2/v2.0/token`]);
      expect(proxy.connects).toEqual([]);
    } finally {
      undo();
    }
  });
});

describe.skipIf(TINYPROXY === undefined)("through tinyproxy", () => {
  beforeEach(() => {
    (proxy.connects as unknown[]).length = 0;
  });

  it("gets a token through tinyproxy without authentication", async () => {
    const tinyproxy = await startTinyproxy({ upstreamPort: proxy.port });
    try {
      await using cred = credential({ proxy: tinyproxy.url });
      const { token } = await cred.getToken(SCOPE);
      expect(token.split(".")).toHaveLength(3);
      expect(proxy.connects.map((c) => c.target)).toEqual([TARGET]);
    } finally {
      await tinyproxy.close();
    }
  });

  it("gets a token through tinyproxy with Basic auth; wrong credentials are a ProxyAuthenticationError", async () => {
    const tinyproxy = await startTinyproxy({
      upstreamPort: proxy.port,
      basicAuth: { user: "svc", password: "s3cret-proxy-pass" },
    });
    try {
      const url = new URL(tinyproxy.url);
      await using good = credential({ proxy: `http://svc:s3cret-proxy-pass@${url.host}` });
      expect((await good.getToken(SCOPE)).token.split(".")).toHaveLength(3);
      // tinyproxy consumed the credentials: the next hop never saw them.
      expect(proxy.connects).toEqual([{ target: TARGET, proxyAuthorization: undefined }]);

      await using bad = credential({ proxy: `http://svc:not-the-pass@${url.host}` });
      const error = await failure(bad.getToken(SCOPE));
      expect((error.cause as Error).name).toBe("ProxyAuthenticationError");
      expect(error.message).toContain("refused the user name and password");
      expect(error.message).toContain(`http://svc:***@${url.host}`);
      expect(error.message).not.toContain("not-the-pass");

      await using none = credential({ proxy: tinyproxy.url });
      const missing = await failure(none.getToken(SCOPE));
      expect(missing.message).toContain("it needs credentials");
    } finally {
      await tinyproxy.close();
    }
  });
});

/** Runs one getToken in a child process with `env` (and nothing else proxy-related) set. */
function childGetToken(env: Record<string, string>): Promise<{ ok: boolean; text: string }> {
  const script = `
    import { ClientSecretCredential } from "@credchain/client-secret";
    const cred = new ClientSecretCredential(${JSON.stringify(DEMO_TENANT_ID)}, ${JSON.stringify(DEMO_CLIENT_ID)},
      ${JSON.stringify(DEMO_CLIENT_SECRET)}, { authority: ${JSON.stringify(AUTHORITY)}, tlsOptions: { ca: process.env.TEST_CA },
      retryOptions: { maxRetries: 0 } });
    try { await cred.getToken(${JSON.stringify(SCOPE)}); console.log("OK"); }
    catch (error) { console.log("FAIL " + error.message); }
    await cred.close();`;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(https?|all|no)_proxy$/i.test(name)),
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { env: { ...clean, TEST_CA: ca, ...env }, cwd: new URL(".", import.meta.url).pathname },
      (error, stdout) => {
        if (error) reject(new Error(`child failed: ${error.message}`));
        else resolve({ ok: stdout.startsWith("OK"), text: stdout.trim() });
      },
    );
  });
}

// Child processes start slowly on a loaded machine: a generous guard, not a timed assertion.
describe("the proxy environment variables, in child processes", { timeout: 60_000 }, () => {
  beforeEach(() => {
    (proxy.connects as unknown[]).length = 0;
  });

  it("HTTPS_PROXY routes the token request through the proxy", async () => {
    expect(await childGetToken({ HTTPS_PROXY: proxy.url })).toEqual({ ok: true, text: "OK" });
    expect(proxy.connects.map((c) => c.target)).toEqual([TARGET]);
  });

  it("lower case wins when both cases are set", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    expect(await childGetToken({ HTTPS_PROXY: dead, https_proxy: proxy.url })).toMatchObject({
      ok: true,
    });
    const result = await childGetToken({ HTTPS_PROXY: proxy.url, https_proxy: dead });
    expect(result.ok).toBe(false);
    expect(result.text).toContain("(from https_proxy): ECONNREFUSED");
  });

  it("ALL_PROXY, then HTTP_PROXY, when HTTPS_PROXY is not set", async () => {
    expect(await childGetToken({ ALL_PROXY: proxy.url })).toMatchObject({ ok: true });
    expect(await childGetToken({ HTTP_PROXY: proxy.url })).toMatchObject({ ok: true });
    const dead = `http://127.0.0.1:${await closedPort()}`;
    expect((await childGetToken({ ALL_PROXY: proxy.url, HTTP_PROXY: dead })).ok).toBe(true);
    expect((await childGetToken({ HTTPS_PROXY: dead, ALL_PROXY: proxy.url })).text).toContain(
      "(from HTTPS_PROXY)",
    );
    expect(proxy.connects).toHaveLength(3);
  });
});

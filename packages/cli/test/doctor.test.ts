import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createServer as createHttpServer, type Server } from "node:http";
import { connect, createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthority, type LocalAuthority } from "@credchain/local-authority";
import { environmentCase } from "./support/credentialCases.js";
import { runCredchain } from "./support/runCredchain.js";
import { tempDirectory } from "./support/tempHome.js";

let authority: LocalAuthority;
beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(async () => {
  await authority.close();
});

/** `credchain doctor` with the demo service principal, a fresh HOME, and `extra` on top. */
async function doctor(extra: Record<string, string> = {}, against = authority) {
  const result = await runCredchain(["doctor"], {
    env: { HOME: await tempDirectory(), ...environmentCase.env(against), ...extra },
  });
  return { ...result, rows: table(result.stdout) };
}

/** The table as `check -> [status, detail]`. */
function table(stdout: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  const [header, ...lines] = stdout.trimEnd().split("\n");
  const statusAt = header!.indexOf("STATUS");
  const detailAt = header!.indexOf("DETAIL");
  for (const line of lines) {
    rows.set(line.slice(0, statusAt).trim(), [
      line.slice(statusAt, detailAt).trim(),
      line.slice(detailAt),
    ]);
  }
  return rows;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("credchain doctor", () => {
  it("prints a table of what it found and exits 0 when the authority is reachable", async () => {
    const home = await tempDirectory();
    const result = await runCredchain(["doctor"], {
      env: {
        HOME: home,
        ...environmentCase.env(authority),
        HTTPS_PROXY: "http://user:proxy-pass@proxy.invalid:3128",
      },
    });
    expect(result.code).toBe(0);
    const rows = table(result.stdout);
    expect(rows.get("credential environment")?.[0]).toBe("ok");
    expect(rows.get("credential workload-identity")?.[0]).toBe("info");
    for (const check of ["dns", "tcp", "http", "clock"]) expect(rows.get(check)?.[0]).toBe("ok");
    expect(rows.get("authority")?.[1]).toContain(authority.url);
    // A loopback authority is never proxied, whatever HTTPS_PROXY says.
    expect(rows.get("proxy")?.[1]).toContain("none");
    expect(rows.get("cache directory")?.[1]).toContain(home);
    expect(rows.has("keyring")).toBe(true);
    expect(result.stdout).not.toContain(environmentCase.secrets[0]);
    expect(result.stdout + result.stderr).not.toContain("proxy-pass");
  });

  it("exits 1 and says what blocks token acquisition when nothing listens at the authority", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await doctor({ AZURE_AUTHORITY_HOST: url });
    expect(result.code).toBe(1);
    const { rows } = result;
    expect(rows.get("tcp")?.[0]).toBe("fail");
    expect(rows.get("tcp")?.[1]).toContain("ECONNREFUSED");
    expect(rows.get("http")?.[0]).toBe("info");
    expect(result.stderr).toContain("tcp");
  });

  it("checks TLS against an https authority and reports an untrusted certificate", async () => {
    const https = await startAuthority({ https: true });
    try {
      const { code, rows } = await doctor({}, https);
      expect(code).toBe(1);
      expect(rows.get("tls")?.[0]).toBe("fail");
      expect(rows.get("tls")?.[1]).toContain("NODE_EXTRA_CA_CERTS");

      // Trusted as the message says: the authority's certificate through NODE_EXTRA_CA_CERTS.
      const certificate = join(await tempDirectory(), "authority.pem");
      await writeFile(certificate, https.certificate ?? "");
      const trusted = await doctor({ NODE_EXTRA_CA_CERTS: certificate }, https);
      expect(trusted.rows.get("tls")?.[0]).toBe("ok");
      expect(trusted.rows.get("http")?.[0]).toBe("ok");
      expect(trusted.code).toBe(0);
    } finally {
      await https.close();
    }
  });

  it("reads the cache key from CREDCHAIN_CACHE_KEY without printing it", async () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const result = await doctor({ CREDCHAIN_CACHE_KEY: key });
    expect(result.rows.get("cache key")?.[0]).toBe("ok");
    expect(result.stdout + result.stderr).not.toContain(key);
  });

  it("exits 1 when the local clock is far from the authority's Date header", async () => {
    // An authority whose clock is 10 minutes ahead: beyond the 5 minutes Entra tolerates.
    const server = createHttpServer((request, response) => {
      response.sendDate = false;
      response.setHeader("date", new Date(Date.now() + 600_000).toUTCString());
      response.setHeader("content-type", "application/json");
      response.end("{}");
    });
    const url = await listen(server);
    try {
      const result = await doctor({ AZURE_AUTHORITY_HOST: url });
      expect(result.code).toBe(1);
      const clock = result.rows.get("clock");
      expect(clock?.[0]).toBe("fail");
      expect(clock?.[1]).toMatch(/behind the authority's Date header.*NTP/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("goes through the proxy HTTP_PROXY names, and says which (without its password)", async () => {
    // A forward proxy that sends every request to the local authority, whatever host it names.
    const seen: string[] = [];
    const proxy = createServer((client: Socket) => {
      client.once("data", (head: Buffer) => {
        const text = head.toString("latin1");
        seen.push(text.slice(0, text.indexOf("\r\n")));
        const upstream = connect(authority.port, "127.0.0.1", () => {
          // Absolute-form request target -> origin form, as a proxy does for plain http.
          upstream.write(text.replace(/^(\w+) http:\/\/[^/]+/, "$1 "));
          client.pipe(upstream).pipe(client);
        });
        upstream.on("error", () => client.destroy());
      });
    });
    const proxyUrl = await listen(proxy);
    try {
      const result = await runCredchain(["doctor"], {
        env: {
          HOME: await tempDirectory(),
          ...environmentCase.env(authority),
          // Not loopback, so proxied; the proxy (not the doctor) resolves the name, and this one
          // sends everything to the local authority, so nothing is looked up or contacted elsewhere.
          AZURE_AUTHORITY_HOST: `http://authority.invalid:${authority.port}`,
          HTTP_PROXY: proxyUrl.replace("http://", "http://user:proxy-pass@"),
        },
      });
      const rows = table(result.stdout);
      expect(rows.get("proxy")?.[1]).toContain(`http://user:***@127.0.0.1:`);
      expect(rows.get("dns")?.[1]).toContain("resolved by the proxy");
      expect(rows.get("tcp")?.[1]).toContain("proxy");
      expect(rows.get("http")?.[0]).toBe("ok");
      expect(seen).toEqual([
        expect.stringMatching(/^GET http:\/\/authority\.invalid:\d+\/common\/discovery\/instance/),
      ]);
      expect(result.stdout + result.stderr).not.toContain("proxy-pass");
      expect(result.code).toBe(0);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

async function listen(server: Server | ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

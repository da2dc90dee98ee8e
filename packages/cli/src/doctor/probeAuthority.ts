import { lookup } from "node:dns/promises";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { DoctorRow } from "./DoctorRow.js";
import { displayProxy } from "./proxyForUrl.js";

/** How long each step may take: a blackholed route must not hang the doctor. */
const STEP_TIMEOUT_IN_MS = 5_000;
/** Entra accepts tokens within 5 minutes of skew; beyond a minute something is already off. */
const SKEW_WARN_IN_MS = 60_000;
const SKEW_FAIL_IN_MS = 300_000;

const message = (error: unknown): string => {
  const { code, message: text } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === "string"
    ? `${code}${typeof text === "string" && !text.includes(code) ? `: ${text}` : ""}`
    : String(text ?? error);
};

function withTimeout<T>(what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} timed out after ${STEP_TIMEOUT_IN_MS} ms`)),
        STEP_TIMEOUT_IN_MS,
      );
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

function connectTcp(host: string, port: number): Promise<Socket> {
  return withTimeout(
    `connecting to ${host}:${port}`,
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = netConnect({ host, port });
        socket.once("connect", () => {
          socket.off("error", reject);
          resolve(socket);
        });
        socket.once("error", reject);
      }),
  );
}

/** Reads an HTTP response head (status line and headers) from `socket`. */
function readHead(socket: Socket): Promise<{ status: number; headers: Map<string, string> }> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString("latin1");
      const end = seen.indexOf("\r\n\r\n");
      if (end === -1) {
        if (seen.length > 65_536) finish(new Error("the response head is larger than 64 KiB"));
        return;
      }
      const [statusLine = "", ...lines] = seen.slice(0, end).split("\r\n");
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1]);
      if (!Number.isInteger(status)) return finish(new Error("the answer is not HTTP"));
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0)
          headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      finish(undefined, { status, headers });
    };
    const onEnd = (): void => finish(new Error("the connection closed before an answer"));
    const finish = (
      error: Error | undefined,
      head?: { status: number; headers: Map<string, string> },
    ): void => {
      socket.off("data", onData).off("error", finish).off("end", onEnd);
      if (error !== undefined || head === undefined) reject(error ?? new Error("no answer"));
      else resolve(head);
    };
    socket.on("data", onData).once("error", finish).once("end", onEnd);
  });
}

function proxyAuthorization(proxy: URL): string {
  if (proxy.username === "") return "";
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Proxy-Authorization: Basic ${Buffer.from(credentials).toString("base64")}\r\n`;
}

function defaultPort(url: URL): number {
  return Number(url.port || (url.protocol === "https:" ? 443 : 80));
}

/** What the authority probe needs: where the token requests go, and how. */
export interface AuthorityProbe {
  readonly authority: URL;
  readonly proxy: URL | undefined;
  /** The local clock, ms since the epoch, compared with the authority's `Date` header. */
  readonly now: () => number;
}

/**
 * DNS, TCP, TLS and HTTP to the authority (through the proxy when one applies), then the clock
 * against its `Date` header: one row each. Stops at the first step that fails, saying what to fix.
 */
export async function probeAuthority({
  authority,
  proxy,
  now,
}: AuthorityProbe): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const host = authority.hostname.replace(/^\[|\]$/g, "");
  const port = defaultPort(authority);
  const https = authority.protocol === "https:";
  const skipped = (checks: string[], why: string): void => {
    for (const check of checks) rows.push({ check, status: "info", detail: `skipped: ${why}` });
  };

  // DNS: through a proxy, the proxy resolves the name (a machine behind one often has no DNS for
  // outside names at all), so only a direct connection looks it up here.
  if (proxy !== undefined) {
    rows.push({ check: "dns", status: "info", detail: `${host} is resolved by the proxy` });
  } else if (isIP(host) !== 0) {
    rows.push({ check: "dns", status: "ok", detail: `${host} is an IP address` });
  } else {
    try {
      const addresses = await withTimeout(`resolving ${host}`, () => lookup(host, { all: true }));
      rows.push({
        check: "dns",
        status: "ok",
        detail: `${host} -> ${addresses.map((a) => a.address).join(", ")}`,
      });
    } catch (error) {
      rows.push({
        check: "dns",
        status: "fail",
        detail: `${host} does not resolve (${message(error)}); check the name and the DNS servers`,
      });
      skipped(["tcp", "tls", "http", "clock"], "no address");
      return rows;
    }
  }

  const target =
    proxy === undefined
      ? { host, port }
      : { host: proxy.hostname.replace(/^\[|\]$/g, ""), port: defaultPort(proxy) };
  let socket: Socket;
  try {
    socket = await connectTcp(target.host, target.port);
    rows.push({
      check: "tcp",
      status: "ok",
      detail: `connected to ${target.host}:${target.port}${proxy === undefined ? "" : ` (proxy ${displayProxy(proxy)})`}`,
    });
  } catch (error) {
    rows.push({
      check: "tcp",
      status: "fail",
      detail: `cannot connect to ${target.host}:${target.port} (${message(error)})${proxy === undefined ? "; a firewall may block it, or set HTTPS_PROXY" : "; check the proxy setting"}`,
    });
    skipped(["tls", "http", "clock"], "no connection");
    return rows;
  }

  try {
    let stream: Socket | TLSSocket = socket;
    if (proxy !== undefined && https) {
      socket.write(
        `CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n${proxyAuthorization(proxy)}\r\n`,
      );
      const head = await withTimeout("the proxy's CONNECT answer", () => readHead(socket));
      if (head.status !== 200) {
        rows.push({
          check: "tls",
          status: "fail",
          detail: `the proxy refused CONNECT ${host}:${port} with ${head.status}${head.status === 407 ? "; put the proxy's user and password in its URL" : ""}`,
        });
        skipped(["http", "clock"], "no tunnel");
        return rows;
      }
    }
    if (https) {
      try {
        const secure = await withTimeout(
          "the TLS handshake",
          () =>
            new Promise<TLSSocket>((resolve, reject) => {
              const tls = tlsConnect({
                socket,
                servername: isIP(host) === 0 ? host : undefined,
                rejectUnauthorized: false,
              });
              tls.once("secureConnect", () => {
                tls.off("error", reject);
                resolve(tls);
              });
              tls.once("error", reject);
            }),
        );
        const certificate = secure.getPeerCertificate();
        const subject = String(certificate.subject?.CN ?? "?");
        const issuer = String(certificate.issuer?.CN ?? certificate.issuer?.O ?? "?");
        if (!secure.authorized) {
          rows.push({
            check: "tls",
            status: "fail",
            detail: `the certificate of ${host} (${subject}, issued by ${issuer}) is not trusted: ${message(secure.authorizationError)}; if a proxy or a private CA signs it, set NODE_EXTRA_CA_CERTS to that CA's PEM file`,
          });
          secure.destroy();
          skipped(["http", "clock"], "untrusted certificate");
          return rows;
        }
        rows.push({
          check: "tls",
          status: "ok",
          detail: `${secure.getProtocol() ?? "TLS"}, certificate ${subject} issued by ${issuer}, valid until ${certificate.valid_to}`,
        });
        stream = secure;
      } catch (error) {
        rows.push({
          check: "tls",
          status: "fail",
          detail: `TLS handshake with ${host} failed (${message(error)})`,
        });
        skipped(["http", "clock"], "no TLS");
        return rows;
      }
    } else {
      rows.push({
        check: "tls",
        status: "info",
        detail: "plain http (accepted for loopback authorities only)",
      });
    }

    const path = `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority.origin}/common/oauth2/v2.0/authorize`)}`;
    const requestTarget = proxy !== undefined && !https ? `${authority.origin}${path}` : path;
    stream.write(
      `GET ${requestTarget} HTTP/1.1\r\nHost: ${authority.host}\r\nUser-Agent: credchain-doctor\r\nAccept: application/json\r\nConnection: close\r\n` +
        `${proxy !== undefined && !https ? proxyAuthorization(proxy) : ""}\r\n`,
    );
    const sentAt = now();
    let head: { status: number; headers: Map<string, string> };
    try {
      head = await withTimeout("the HTTP answer", () => readHead(stream));
    } catch (error) {
      rows.push({
        check: "http",
        status: "fail",
        detail: `no HTTP answer from ${authority.origin} (${message(error)})`,
      });
      skipped(["clock"], "no answer");
      return rows;
    }
    const receivedAt = now();
    rows.push({
      check: "http",
      status: head.status < 500 ? "ok" : "warn",
      detail: `GET ${authority.origin}/common/discovery/instance answered ${head.status}`,
    });
    const date = Date.parse(head.headers.get("date") ?? "");
    if (Number.isNaN(date)) {
      rows.push({
        check: "clock",
        status: "info",
        detail: "the authority sent no Date header to compare with",
      });
    } else {
      // The header has one-second resolution and was stamped between sending and receiving.
      const local = (sentAt + receivedAt) / 2;
      const skew = local - date;
      const magnitude = Math.abs(skew) < 1_500 ? 0 : Math.abs(skew);
      const direction = skew > 0 ? "ahead of" : "behind";
      rows.push({
        check: "clock",
        status: magnitude > SKEW_FAIL_IN_MS ? "fail" : magnitude > SKEW_WARN_IN_MS ? "warn" : "ok",
        detail:
          magnitude === 0
            ? "in step with the authority's Date header"
            : `${Math.round(magnitude / 1000)} s ${direction} the authority's Date header${magnitude > SKEW_WARN_IN_MS ? "; tokens may look expired or not yet valid: sync the clock (NTP)" : ""}`,
      });
    }
  } finally {
    socket.destroy();
  }
  return rows;
}

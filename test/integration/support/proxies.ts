// Test-only network pieces for the proxy tests, all on 127.0.0.1: a TLS front that presents a
// certificate for a made-up host name, a recording CONNECT proxy that alone knows where that
// host is, and a real tinyproxy started from a temporary config. Nothing here resolves a name
// through DNS or contacts anything off this machine.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { generate } from "selfsigned";

/** The made-up authority host name: only the test proxies know it means 127.0.0.1. */
export const PROXIED_HOST = "authority.test";

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server | ReturnType<typeof createNetServer>, sockets: Set<Socket>) {
  for (const socket of sockets) socket.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

function track(server: Server | ReturnType<typeof createNetServer>): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return sockets;
}

/** A self-signed certificate for `PROXIED_HOST`: trusted by tests through `tlsOptions.ca` only. */
export async function proxiedHostCertificate(): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: PROXIED_HOST }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: PROXIED_HOST }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * A self-signed certificate for the recording proxy served over TLS on 127.0.0.1 (an IP address
 * SAN, as a client checks it for an `https://127.0.0.1:port` proxy): another CA than the
 * authority's, so a test can trust one without the other.
 */
export async function loopbackProxyCertificate(): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "credchain test proxy" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Terminates TLS for `PROXIED_HOST` and pipes the plaintext to a local http server. */
export async function startTlsFront(
  certificate: { cert: string; key: string },
  backendPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createTlsServer(certificate, (socket) => {
    const backend = connect(backendPort, "127.0.0.1");
    socket.pipe(backend).pipe(socket);
    backend.on("error", () => socket.destroy());
    socket.on("error", () => backend.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return { port, close: () => closeServer(server, sockets) };
}

/** One CONNECT request as the recording proxy saw it. */
export interface ConnectRecord {
  /** The request target, `host:port`. */
  target: string;
  /** Whether a Proxy-Authorization header came with it, and what it decoded to. */
  proxyAuthorization: string | undefined;
}

export interface RecordingProxy {
  readonly url: string;
  readonly port: number;
  readonly connects: readonly ConnectRecord[];
  close(): Promise<void>;
}

/**
 * A forward proxy that only tunnels: `CONNECT host:port` to a host in `routes` opens a tunnel to
 * that local port; anything else is answered `502`. With `credentials`, a CONNECT without the
 * matching Basic credentials gets `407`. `answer` forces a status for every CONNECT. With `tls`,
 * the proxy itself is served over TLS with that certificate (an `https://` proxy).
 */
export async function startRecordingProxy(
  routes: Record<string, number>,
  options: { credentials?: string; answer?: number; tls?: { cert: string; key: string } } = {},
): Promise<RecordingProxy> {
  const connects: ConnectRecord[] = [];
  const onRequest = (_request: unknown, response: ServerResponse): void => {
    response.writeHead(405).end("this test proxy only tunnels");
  };
  const server =
    options.tls === undefined
      ? createHttpServer(onRequest)
      : createHttpsServer(options.tls, onRequest);
  // A client that rejects the proxy's certificate resets the handshake: nothing to record.
  server.on("tlsClientError", () => {});
  server.on("connect", (request, socket: Socket, head: Buffer) => {
    const header = request.headers["proxy-authorization"];
    const decoded =
      typeof header === "string" && header.startsWith("Basic ")
        ? Buffer.from(header.slice(6), "base64").toString("utf8")
        : undefined;
    connects.push({ target: request.url ?? "", proxyAuthorization: decoded });
    socket.on("error", () => {});
    const refuse = (status: number, reason: string, extra = ""): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    if (options.answer !== undefined) return refuse(options.answer, "Forbidden");
    if (options.credentials !== undefined && decoded !== options.credentials) {
      return refuse(
        407,
        "Proxy Authentication Required",
        'Proxy-Authenticate: Basic realm="test"\r\n',
      );
    }
    const port = routes[request.url ?? ""];
    if (port === undefined) return refuse(502, "Bad Gateway");
    const upstream = connect(port, "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return {
    url: `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    port,
    connects,
    close: () => closeServer(server, sockets),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const TINYPROXY = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"].find((path) =>
  existsSync(path),
);

export interface Tinyproxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Debian's tinyproxy on a free loopback port, configured from a temporary file. tinyproxy resolves
 * target names through the system resolver, which does not know `PROXIED_HOST`, so it forwards to
 * `upstream` (the recording proxy) for the last hop: the client's side (Basic auth, 407, CONNECT)
 * is tinyproxy's own.
 */
export async function startTinyproxy(options: {
  upstreamPort: number;
  basicAuth?: { user: string; password: string };
}): Promise<Tinyproxy> {
  if (TINYPROXY === undefined)
    throw new Error("tinyproxy is not installed (scripts/ensure-system-deps.sh)");
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), "credchain-tinyproxy-"));
  const config = join(dir, "tinyproxy.conf");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Timeout 30",
      "Allow 127.0.0.1",
      "ConnectPort 443",
      `Upstream http 127.0.0.1:${options.upstreamPort}`,
      "LogLevel Connect",
      ...(options.basicAuth === undefined
        ? []
        : [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`]),
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(TINYPROXY, ["-d", "-c", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Ready when the port accepts connections (tinyproxy logs "listening" before it accepts).
  for (let tries = 0; ; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const probe = connect(port, "127.0.0.1", () => {
        probe.destroy();
        resolve(true);
      });
      probe.on("error", () => resolve(false));
    });
    if (open) break;
    if (child.exitCode !== null || tries > 100) {
      child.kill();
      throw new Error(`tinyproxy did not start: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

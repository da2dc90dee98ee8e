import { createServer, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * What the server does with a request:
 * - a response (`json` is serialised; `chunked` streams the body without a content-length),
 * - `"reset"`: destroy the socket without answering (a connection reset),
 * - `"hold"`: never answer; the request stays open until the client gives up or the server closes.
 */
export type Reply =
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: string;
      json?: unknown;
      chunked?: boolean;
    }
  | "reset"
  | "hold";

/** Decides the reply; `index` counts requests from 0. */
export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

/** A real HTTP server on 127.0.0.1 standing in for the token endpoint. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** How many requests arrived. */
  readonly count: number;
  /** Requests whose connection the client closed before any answer was sent. */
  readonly abandoned: number;
  /** Replaces the handler. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A token endpoint answer: `expires_in` (and `refresh_in`) in seconds, as Entra ID sends them. */
export function tokenReply(
  token: string,
  expiresInSeconds = 3600,
  refreshInSeconds?: number,
): Reply {
  return {
    status: 200,
    json: {
      token_type: "Bearer",
      access_token: token,
      expires_in: expiresInSeconds,
      ...(refreshInSeconds === undefined ? {} : { refresh_in: refreshInSeconds }),
    },
  };
}

/** A status-only answer, optionally with headers (e.g. Retry-After). */
export function statusReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, json: { error: `status_${status}` } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Starts a server on an ephemeral port. The default handler answers every request with a token. */
export async function startTestServer(handler?: Handler): Promise<TestServer> {
  let current: Handler = handler ?? ((_, index) => tokenReply(`token-${index}`));
  const requests: RecordedRequest[] = [];
  let abandoned = 0;

  const server = createServer((req, res) => {
    let answered = false;
    res.on("close", () => {
      if (!answered) abandoned++;
    });
    void (async () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: await readBody(req),
      };
      const index = requests.length;
      requests.push(recorded);
      const reply = await current(recorded, index);
      if (reply === "hold") return;
      if (reply === "reset") {
        answered = true;
        req.socket.destroy();
        return;
      }
      answered = true;
      const body = reply.json === undefined ? (reply.body ?? "") : JSON.stringify(reply.json);
      const headers: Record<string, string> = {
        ...(reply.json === undefined ? {} : { "content-type": "application/json" }),
        ...reply.headers,
      };
      res.writeHead(reply.status ?? 200, headers);
      if (reply.chunked === true) {
        // Several writes before end: Node sends chunked transfer encoding, no content-length.
        const step = 64 * 1024;
        for (let offset = 0; offset < body.length; offset += step) {
          res.write(body.slice(offset, offset + step));
        }
        res.end();
      } else {
        res.end(body);
      }
    })().catch(() => {
      res.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get count() {
      return requests.length;
    },
    get abandoned() {
      return abandoned;
    },
    handle(next) {
      current = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

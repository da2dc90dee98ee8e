import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: URLSearchParams;
}

/** What the handler answers; `undefined` hands back a valid token response. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordingServer extends AsyncDisposable {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const defaultReply = (): Reply => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ token_type: "Bearer", expires_in: 3599, access_token: "recorded-token" }),
});

/**
 * A bare node:http server on 127.0.0.1 that records every request in full (body included, which
 * the local authority deliberately never keeps) and answers with whatever the test says: for
 * asserting the exact wire format and for response shapes no real authority sends.
 */
export async function startRecordingServer(
  handler: (request: RecordedRequest) => Reply | undefined = () => undefined,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        form: new URLSearchParams(body),
      };
      requests.push(recorded);
      const reply = handler(recorded) ?? defaultReply();
      res.writeHead(reply.status ?? 200, reply.headers ?? { "content-type": "application/json" });
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}

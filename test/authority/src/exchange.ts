import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { aadErrorBody, type AadError } from "./errors.js";
import type { EndpointKind, MutableRequestLogEntry } from "./requestLog.js";
import { headersForLog } from "./requestLog.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Result of reading a request body under a size limit. */
export type BodyResult =
  | { readonly kind: "ok"; readonly text: string }
  | { readonly kind: "too-large"; readonly drained: boolean }
  | { readonly kind: "aborted" };

/**
 * One request/response pair with Entra's response conventions (request id, correlation id,
 * no-store caching). Every way of answering records the status in the log entry first, so the
 * log is complete by the time the client sees the response. Once the client disconnects or the
 * authority closes, `signal` aborts and further answers are ignored.
 */
export class Exchange {
  readonly requestId: string = randomUUID();
  readonly correlationId: string;
  readonly entry: MutableRequestLogEntry;
  readonly #controller = new AbortController();
  readonly #clientRequestId: string | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    endpoint: EndpointKind,
    path: string,
    tenant: string | undefined,
    nowMs: number,
    readonly now: () => number,
  ) {
    this.#clientRequestId = singleHeader(req, "client-request-id");
    // Entra reuses a GUID client-request-id as the correlation id, so clients can join logs.
    this.correlationId =
      this.#clientRequestId !== undefined && UUID.test(this.#clientRequestId)
        ? this.#clientRequestId
        : randomUUID();
    this.entry = {
      requestId: this.requestId,
      method: req.method ?? "GET",
      path,
      endpoint,
      tenant,
      clientId: undefined,
      hasClientSecret: false,
      grantType: undefined,
      scopes: [],
      status: 0,
      fault: undefined,
      time: nowMs,
      headers: headersForLog(req.headers),
    };
    res.once("close", () => this.#controller.abort());
  }

  /** Aborts when the response is finished, the client disconnected, or the authority closed. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether answering is no longer possible or already happened. */
  get done(): boolean {
    return this.#controller.signal.aborted || this.res.headersSent;
  }

  abort(): void {
    this.#controller.abort();
  }

  /** Reads the body, keeping at most `limit` bytes; a larger body is drained up to a hard cap. */
  readBody(limit: number): Promise<BodyResult> {
    const req = this.req;
    // Draining lets the client finish its upload and read the 413, instead of seeing a reset.
    const drainCap = limit * 16;
    const declared = Number(singleHeader(req, "content-length") ?? NaN);
    if (declared > drainCap) {
      req.resume();
      return Promise.resolve({ kind: "too-large", drained: false });
    }
    return new Promise<BodyResult>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) {
          chunks.push(chunk);
        } else if (size > drainCap) {
          resolve({ kind: "too-large", drained: false });
        }
      });
      req.once("end", () => {
        resolve(
          size > limit
            ? { kind: "too-large", drained: true }
            : { kind: "ok", text: Buffer.concat(chunks).toString("utf8") },
        );
      });
      // Fires after "end" on success, so it only decides the outcome for aborted uploads.
      req.once("close", () => resolve({ kind: "aborted" }));
      req.once("error", () => resolve({ kind: "aborted" }));
    });
  }

  /** Discards a body the endpoint does not use, so keep-alive connections stay usable. */
  discardBody(): void {
    this.req.resume();
  }

  #headers(extra: Readonly<Record<string, string>>): Record<string, string> {
    return {
      "cache-control": "no-store, no-cache",
      pragma: "no-cache",
      "x-content-type-options": "nosniff",
      "x-ms-request-id": this.requestId,
      ...(this.#clientRequestId !== undefined
        ? { "client-request-id": this.#clientRequestId }
        : {}),
      ...extra,
    };
  }

  sendRaw(
    status: number,
    contentType: string,
    body: string,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): void {
    if (this.done) return;
    this.entry.status = status;
    this.res.writeHead(
      status,
      this.#headers({
        "content-type": contentType,
        "content-length": String(Buffer.byteLength(body)),
        ...extraHeaders,
      }),
    );
    this.res.end(body);
  }

  sendJson(
    status: number,
    body: unknown,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): void {
    this.sendRaw(status, "application/json; charset=utf-8", JSON.stringify(body), extraHeaders);
  }

  sendError(err: AadError, extraHeaders: Readonly<Record<string, string>> = {}): void {
    const body = aadErrorBody(err, {
      traceId: this.requestId,
      correlationId: this.correlationId,
      now: this.now(),
    });
    this.sendJson(err.status, body, extraHeaders);
  }

  /** Streams a body of known length, respecting backpressure; resolves when done or aborted. */
  async stream(
    status: number,
    contentType: string,
    length: number,
    chunks: Iterable<Buffer>,
  ): Promise<void> {
    if (this.done) return;
    this.entry.status = status;
    this.res.writeHead(
      status,
      this.#headers({ "content-type": contentType, "content-length": String(length) }),
    );
    try {
      await pipeline(Readable.from(chunks), this.res);
    } catch {
      // The client went away mid-body (or the authority closed); nothing left to answer.
    }
  }

  /** Drops the connection without a response, as a TCP RST where the socket type allows it. */
  reset(): void {
    const socket = this.req.socket;
    try {
      socket.resetAndDestroy();
    } catch {
      // TLS sockets cannot be reset at the TCP level from here; a plain destroy still drops them.
      socket.destroy();
    }
  }

  /** Waits `ms`; resolves `false` early if the exchange aborts, so callers stop answering. */
  delay(ms: number): Promise<boolean> {
    const signal = this.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Never answers; resolves once the client disconnects or the authority closes. */
  hang(): Promise<void> {
    const signal = this.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }
}

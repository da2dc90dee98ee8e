import { ResponseTooLargeError } from "./ResponseTooLargeError.js";

/** A response body as node:http and undici give it: a readable stream of byte chunks. */
interface ByteStream {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  destroy(error?: Error): void;
}

/**
 * Reads at most `limit` bytes, then destroys the stream: a misconfigured authority that streams a
 * huge page must not fill the heap. A declared `content-length` over the cap fails before reading.
 * Plain `data` / `end` listeners: an async iterator costs several objects and ticks per response.
 */
export function readCappedBody(
  body: ByteStream,
  limit: number,
  contentLength: string | string[] | undefined,
): Promise<string> {
  const declared = Number(contentLength);
  if (typeof contentLength === "string" && Number.isFinite(declared) && declared > limit) {
    body.destroy();
    return Promise.reject(new ResponseTooLargeError(limit));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    body.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.byteLength;
      if (size > limit) {
        done = true;
        body.destroy();
        reject(new ResponseTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    body.on("end", () => {
      if (done) return;
      done = true;
      // One chunk (the usual token response) decodes without a copy.
      resolve(
        chunks.length === 1
          ? chunks[0]!.toString("utf8")
          : Buffer.concat(chunks, size).toString("utf8"),
      );
    });
    body.on("error", (error: Error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    // Closed before its end (the connection dropped, the request was destroyed): never hang.
    body.on("close", () => {
      if (done) return;
      done = true;
      reject(
        Object.assign(new Error("The response ended before its body was complete."), {
          code: "ECONNRESET",
        }),
      );
    });
  });
}

/** Response headers as `HttpResponse` carries them: one string per lower-case name. */
export function flattenHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

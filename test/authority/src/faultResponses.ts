import { aadErrors } from "./errors.js";
import type { Exchange } from "./exchange.js";
import type {
  HtmlFault,
  MalformedJsonFault,
  NoTokenFault,
  OversizedFault,
  ResetFault,
  StatusFault,
} from "./faults.js";
import { tokenResponseFields, type TokenResponseShape } from "./tokenResponse.js";

/** Faults that replace the response entirely (as opposed to delaying or shaping a success). */
export type TerminalFault =
  | StatusFault
  | ResetFault
  | MalformedJsonFault
  | HtmlFault
  | OversizedFault
  | NoTokenFault
  | { readonly kind: "hang" };

const JSON_TYPE = "application/json; charset=utf-8";

function looksLikeJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function sendStatusFault(ex: Exchange, fault: StatusFault): void {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  if (fault.body !== undefined) {
    const contentType =
      fault.contentType ?? (looksLikeJson(fault.body) ? JSON_TYPE : "text/plain; charset=utf-8");
    ex.sendRaw(fault.status, contentType, fault.body, headers);
    return;
  }
  const base = aadErrors.forStatus(fault.status);
  ex.sendError(
    {
      status: fault.status,
      error: fault.error ?? base.error,
      code: fault.errorCode ?? base.code,
      message: fault.message ?? base.message,
    },
    headers,
  );
}

function htmlPage(status: number): string {
  const title = status === 502 ? "502 Bad Gateway" : `${status} Error`;
  // The shape nginx and most gateways use; clients must not try to parse it as JSON.
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

const CHUNK = 64 * 1024;

function* oversizedChunks(prefix: Buffer, padding: number, suffix: Buffer): Generator<Buffer> {
  yield prefix;
  const full = Buffer.alloc(Math.min(CHUNK, padding), "A");
  let left = padding;
  while (left > 0) {
    const n = Math.min(left, full.length);
    yield n === full.length ? full : full.subarray(0, n);
    left -= n;
  }
  yield suffix;
}

async function sendOversized(
  ex: Exchange,
  fault: OversizedFault,
  shape: TokenResponseShape,
): Promise<void> {
  // A syntactically valid token response whose access token makes up the bulk, so only a
  // client that enforces a size limit rejects it; JSON validity alone does not.
  const head = JSON.stringify(tokenResponseFields(shape));
  const prefix = Buffer.from(`${head.slice(0, -1)},"access_token":"`);
  const suffix = Buffer.from(`"}`);
  const padding = fault.bytes - prefix.length - suffix.length;
  if (padding < 0) {
    ex.sendRaw(200, JSON_TYPE, " ".repeat(fault.bytes));
    return;
  }
  await ex.stream(200, JSON_TYPE, fault.bytes, oversizedChunks(prefix, padding, suffix));
}

/** Answers (or deliberately does not answer) a token request according to `fault`. */
export async function sendFault(
  ex: Exchange,
  fault: TerminalFault,
  shape: TokenResponseShape,
): Promise<void> {
  switch (fault.kind) {
    case "status":
      sendStatusFault(ex, fault);
      return;
    case "reset":
      ex.reset();
      return;
    case "malformed-json": {
      const full = JSON.stringify({
        ...tokenResponseFields(shape),
        access_token: "eyJ0eXAiOiJKV1Qi",
      });
      ex.sendRaw(200, JSON_TYPE, full.slice(0, Math.floor(full.length / 2)));
      return;
    }
    case "html": {
      const status = fault.status ?? 502;
      ex.sendRaw(status, "text/html", htmlPage(status));
      return;
    }
    case "oversized":
      await sendOversized(ex, fault, shape);
      return;
    case "hang":
      await ex.hang();
      return;
    case "no-token":
      ex.sendJson(200, tokenResponseFields(shape));
      return;
  }
}

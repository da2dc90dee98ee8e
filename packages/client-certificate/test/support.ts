import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  credentialEventNames,
  credentialEvents,
  FetchHttpTransport,
  ManualClock,
  rootContainer,
  Tokens,
  type CredentialEventEmitter,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from "@credchain/core";
import type { CredentialOptions } from "@credchain/core/credential";

type DependencyContainer = NonNullable<CredentialOptions["container"]>;

/** A fresh temporary directory, removed by the returned `remove()`. */
export function tempDirectory(): {
  dir: string;
  path: (name: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "credchain-cert-"));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes `text` to `path` and returns the path. */
export function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/**
 * A certificate and key made by the `openssl` command line, as a user would (`openssl req -x509`),
 * so parsing is tested against real-world PEMs and not only against what node writes.
 * `encryptWith` re-encodes the key as encrypted PKCS#8 (`openssl pkcs8 -topk8 -v2 aes-256-cbc`).
 */
export function opensslCertificate(
  dir: string,
  options: { encryptWith?: string; days?: number } = {},
): {
  certificate: string;
  privateKey: string;
  pem: string;
} {
  const keyPath = join(dir, `openssl-${Math.random().toString(36).slice(2)}.key`);
  const certPath = `${keyPath}.crt`;
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      String(options.days ?? 2),
      "-subj",
      "/CN=credchain-openssl-test",
      "-sha256",
    ],
    { stdio: "ignore" },
  );
  let privateKey = execFileSync("cat", [keyPath]).toString();
  if (options.encryptWith !== undefined) {
    privateKey = execFileSync("openssl", [
      "pkcs8",
      "-topk8",
      "-v2",
      "aes-256-cbc",
      "-in",
      keyPath,
      "-passout",
      `pass:${options.encryptWith}`,
    ]).toString();
  }
  const certificate = execFileSync("cat", [certPath]).toString();
  return { certificate, privateKey, pem: `${certificate}${privateKey}` };
}

export const GRAPH = "https://graph.microsoft.com/.default";
export const VAULT = "https://vault.azure.net/.default";
export const STORAGE = "https://storage.azure.com/.default";

/** A transport that sends through Node's fetch and keeps every request's form, to read the wire. */
export class RecordingTransport implements HttpTransport {
  readonly forms: URLSearchParams[] = [];
  readonly #inner = new FetchHttpTransport();

  send(request: HttpRequest): Promise<HttpResponse> {
    this.forms.push(new URLSearchParams(request.body ?? ""));
    return this.#inner.send(request);
  }

  /** The decoded `client_assertion` JWTs sent, oldest first. */
  assertions(): Array<{
    header: Record<string, unknown>;
    payload: Record<string, unknown>;
    raw: string;
  }> {
    return this.forms.flatMap((form) => {
      const raw = form.get("client_assertion");
      if (raw === null) return [];
      const [h = "", p = ""] = raw.split(".");
      const json = (s: string) =>
        JSON.parse(Buffer.from(s, "base64url").toString()) as Record<string, unknown>;
      return [{ header: json(h), payload: json(p), raw }];
    });
  }
}

/** A child container with a ManualClock (time moves only when the test says) and a recording transport. */
export function testServices(start = Date.now()): {
  clock: ManualClock;
  transport: RecordingTransport;
  container: DependencyContainer;
} {
  const clock = new ManualClock(start);
  const transport = new RecordingTransport();
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  container.register(Tokens.HttpTransport, { useValue: transport });
  return { clock, transport, container };
}

/** Records every event of `emitter` and of the process-wide `credentialEvents` until `stop()`. */
export function recordEvents(emitter: CredentialEventEmitter): {
  events: unknown[];
  stop: () => void;
} {
  const events: unknown[] = [];
  const undo: Array<() => void> = [];
  for (const target of [emitter, credentialEvents]) {
    for (const name of credentialEventNames) {
      const listener = (payload: unknown): void => {
        events.push({ name, payload });
      };
      target.on(name, listener);
      undo.push(() => target.off(name, listener));
    }
  }
  return { events, stop: () => undo.forEach((fn) => fn()) };
}

/** Settles `promise` and returns its rejection reason, failing if it resolves. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** A line of a PEM's base64 body: what would show if any of it leaked. */
export function pemBodyLine(pem: string): string {
  const lines = pem.split("\n").filter((l) => l.length >= 60 && !l.includes(":"));
  return lines[Math.floor(lines.length / 2)]!;
}

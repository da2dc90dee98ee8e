import {
  credentialEventNames,
  credentialEvents,
  ManualClock,
  rootContainer,
  Tokens,
  type CredentialEventEmitter,
  type CredentialEventName,
  type HttpTransport,
} from "@credchain/core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type LocalAuthority,
} from "@credchain/local-authority";
import { ClientSecretCredential, type ClientSecretCredentialOptions } from "../src/index.js";

export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID };

export const GRAPH = "https://graph.microsoft.com/.default";
export const ARM = "https://management.azure.com/.default";

/** A credential for the demo client of `authority`. */
export function demoCredential(
  authority: { url: string },
  options: ClientSecretCredentialOptions = {},
  secret = DEMO_CLIENT_SECRET,
): ClientSecretCredential {
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, secret, {
    authority: authority.url,
    ...options,
  });
}

/** A child container whose clock is a fresh ManualClock: time moves only when the test says. */
export function manualTime(start?: number): {
  clock: ManualClock;
  container: ClientSecretCredentialOptions["container"];
} {
  const clock = new ManualClock(start);
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  return { clock, container };
}

/** A child container whose HTTP transport is `transport`: for failures no real server produces. */
export function withTransport(
  transport: HttpTransport,
): ClientSecretCredentialOptions["container"] {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.HttpTransport, { useValue: transport });
  return container;
}

/** Retries without back-off waits: for tests where a retriable status is the point but time is not. */
export const noRetries: ClientSecretCredentialOptions["retryOptions"] = { maxRetries: 0 };

/** Resolves once the authority has seen `count` token requests. */
export async function requestsArrived(authority: LocalAuthority, count: number): Promise<void> {
  await authority.waitForTokenRequests(count);
}

const EVENT_NAMES = credentialEventNames;

export interface RecordedEvent {
  source: "credential" | "process";
  name: CredentialEventName;
  payload: unknown;
}

/** Records every event from `emitter` and the process-wide `credentialEvents` until `stop()`. */
export function recordEvents(emitter: CredentialEventEmitter): {
  events: RecordedEvent[];
  stop: () => void;
} {
  const events: RecordedEvent[] = [];
  const undo: Array<() => void> = [];
  for (const [source, target] of [
    ["credential", emitter],
    ["process", credentialEvents],
  ] as const) {
    for (const name of EVENT_NAMES) {
      const listener = (payload: unknown): void => {
        events.push({ source, name, payload });
      };
      target.on(name, listener);
      undo.push(() => target.off(name, listener));
    }
  }
  return { events, stop: () => undo.forEach((fn) => fn()) };
}

/**
 * Every string reachable from `value` through own data properties (enumerable or not, so
 * `cause`, and fields a transport hangs on its error such as `request.body`), map entries and
 * byte views: what a logger or error tracker walking the object could print.
 */
export function reachableText(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const visit = (current: unknown, depth: number): void => {
    if (typeof current === "string") {
      parts.push(current);
      return;
    }
    if (typeof current !== "object" || current === null || seen.has(current) || depth > 20) return;
    seen.add(current);
    if (ArrayBuffer.isView(current)) {
      parts.push(Buffer.from(current.buffer, current.byteOffset, current.byteLength).toString());
      return;
    }
    if (current instanceof Map)
      for (const [k, v] of current) [k, v].forEach((x) => visit(x, depth + 1));
    if (current instanceof Set) for (const item of current) visit(item, depth + 1);
    for (const key of Reflect.ownKeys(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor !== undefined && "value" in descriptor) visit(descriptor.value, depth + 1);
    }
  };
  visit(value, 0);
  return parts.join("\n");
}

/** Everything an error carries, as text: message, stack, fields and cause chain, at any depth. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "", JSON.stringify({ ...current }));
      current = current.cause;
    } else {
      parts.push(typeof current === "string" ? current : JSON.stringify(current));
      current = undefined;
    }
  }
  parts.push(reachableText(error));
  return parts.join("\n");
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

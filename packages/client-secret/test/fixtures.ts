import {
  credentialEventNames,
  credentialEvents,
  ManualClock,
  rootContainer,
  Tokens,
  type CredentialEventEmitter,
  type CredentialEventName,
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

/** Everything an error carries, as text: message, stack, fields and cause chain. */
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

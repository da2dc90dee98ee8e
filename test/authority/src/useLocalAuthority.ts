import type { AuthorityOptions } from "./options.js";
import { startAuthority, type LocalAuthority } from "./startAuthority.js";

type Hook = (fn: () => void | Promise<void>) => unknown;

/**
 * A test runner's suite hooks: vitest's and jest's `beforeAll` / `afterAll` / `afterEach`, or
 * mocha's and `node:test`'s `before` / `after` / `afterEach` passed under these names. Taken as
 * values so that no runner is a dependency of this package.
 */
export interface TestHooks {
  readonly beforeAll: Hook;
  readonly afterAll: Hook;
  /** When given, faults and the request log are cleared after every test. */
  readonly afterEach?: Hook;
}

/** Options for {@link useLocalAuthority}: the authority's own, plus the runner's hooks. */
export interface UseLocalAuthorityOptions extends AuthorityOptions {
  /**
   * Where to register start, stop and the per-test reset. Default: the runner's global
   * `beforeAll` / `afterAll` / `afterEach` (vitest with `globals: true`, jest), else mocha's global
   * `before` / `after` / `afterEach`. Without either, nothing is registered: call `start()` and
   * `stop()` yourself.
   */
  readonly hooks?: TestHooks;
}

/** The authority of a test file: usable as a `LocalAuthority` once started, and its lifecycle. */
export interface LocalAuthorityFixture extends LocalAuthority {
  /** Starts the authority (what the `beforeAll` hook does). Idempotent. */
  start(): Promise<LocalAuthority>;
  /** Closes it (what the `afterAll` hook does). Idempotent. */
  stop(): Promise<void>;
  /** Clears faults and the request log (what the `afterEach` hook does). */
  reset(): void;
}

function globalHooks(): TestHooks | undefined {
  const scope = globalThis as Record<string, unknown>;
  const hook = (name: string): Hook | undefined =>
    typeof scope[name] === "function" ? (scope[name] as Hook) : undefined;
  const beforeAll = hook("beforeAll") ?? hook("before");
  const afterAll = hook("afterAll") ?? hook("after");
  if (beforeAll === undefined || afterAll === undefined) return undefined;
  const afterEach = hook("afterEach");
  return afterEach === undefined ? { beforeAll, afterAll } : { beforeAll, afterAll, afterEach };
}

/**
 * One local authority for a test file: started before its first test, closed after its last,
 * with faults and the request log cleared after each test. The returned object is the authority
 * itself (`authority.url`, `authority.setFaults(...)`, `authority.requests`) once started.
 *
 * @example
 * ```ts
 * import { afterAll, afterEach, beforeAll, it } from "vitest";
 * const authority = useLocalAuthority({ hooks: { beforeAll, afterAll, afterEach } });
 * it("gets a token", async () => {
 *   const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
 *     authority: authority.url,
 *   });
 *   await credential.getToken("https://graph.microsoft.com/.default");
 * });
 * ```
 */
export function useLocalAuthority(options: UseLocalAuthorityOptions = {}): LocalAuthorityFixture {
  const { hooks: given, ...authorityOptions } = options;
  let starting: Promise<LocalAuthority> | undefined;
  let running: LocalAuthority | undefined;

  const current = (): LocalAuthority => {
    if (running === undefined) {
      throw new Error(
        "useLocalAuthority: the authority is not running. Use it inside tests (its beforeAll hook " +
          "starts it), pass your runner's hooks as { hooks: { beforeAll, afterAll, afterEach } }, " +
          "or call start() first.",
      );
    }
    return running;
  };
  const lifecycle = {
    start: (): Promise<LocalAuthority> => {
      starting ??= startAuthority(authorityOptions).then((authority) => (running = authority));
      return starting;
    },
    stop: async (): Promise<void> => {
      const authority = await starting;
      starting = undefined;
      running = undefined;
      await authority?.close();
    },
    reset: (): void => {
      running?.clearFaults();
      running?.resetLog();
    },
  };

  const hooks = given ?? globalHooks();
  if (hooks !== undefined) {
    hooks.beforeAll(async () => {
      await lifecycle.start();
    });
    hooks.afterAll(() => lifecycle.stop());
    hooks.afterEach?.(() => lifecycle.reset());
  }

  // Everything else is the running authority's: getters read it now, methods are bound to it.
  return new Proxy(lifecycle, {
    get(target, property) {
      if (Object.hasOwn(target, property)) return Reflect.get(target, property) as unknown;
      // Not a thenable (so it can be returned from an async function), and inspectable unstarted.
      if (running === undefined && (property === "then" || typeof property === "symbol")) {
        return undefined;
      }
      const authority = current();
      const value: unknown = Reflect.get(authority, property, authority);
      return typeof value === "function"
        ? (value as (...args: unknown[]) => unknown).bind(authority)
        : value;
    },
    has(target, property) {
      return Object.hasOwn(target, property) || (running !== undefined && property in running);
    },
  }) as unknown as LocalAuthorityFixture;
}

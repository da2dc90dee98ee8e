import { resolveOptions, type AuthorityOptions } from "./options.js";
import { startAuthority, type LocalAuthority } from "./startAuthority.js";

/**
 * The suite hooks {@link useLocalAuthority} registers with: vitest's and jest's `beforeAll` /
 * `afterAll`, or mocha's `before` / `after` passed under these names.
 */
export interface SuiteHooks {
  beforeAll(fn: () => Promise<void>): unknown;
  afterAll(fn: () => Promise<void>): unknown;
}

function globalHooks(): SuiteHooks | undefined {
  const scope = globalThis as { beforeAll?: unknown; afterAll?: unknown };
  const { beforeAll, afterAll } = scope;
  return typeof beforeAll === "function" && typeof afterAll === "function"
    ? (scope as SuiteHooks)
    : undefined;
}

/**
 * Starts a local authority before the tests of the current suite and closes it after them, so a
 * test file does not repeat the start/stop block. Returns a function that gives the running
 * authority (inside tests and later hooks).
 *
 * Options are checked at once, so a typo fails when the file is collected, not in a hook. Hooks
 * default to the global `beforeAll` / `afterAll` (jest, vitest with `globals: true`); otherwise
 * pass them.
 *
 * @example
 * ```ts
 * import { afterAll, beforeAll, it } from "vitest";
 * const authority = useLocalAuthority({ issuer: "v1" }, { beforeAll, afterAll });
 * it("gets a token", async () => {
 *   const credential = new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
 *     authority: authority().url,
 *   });
 * });
 * ```
 */
export function useLocalAuthority(
  options?: AuthorityOptions,
  hooks: SuiteHooks | undefined = globalHooks(),
): () => LocalAuthority {
  resolveOptions(options);
  if (hooks === undefined) {
    throw new TypeError(
      "useLocalAuthority: no global beforeAll/afterAll found; pass your test framework's hooks, " +
        "e.g. useLocalAuthority(options, { beforeAll, afterAll })",
    );
  }
  let authority: LocalAuthority | undefined;
  hooks.beforeAll(async () => {
    authority = await startAuthority(options);
  });
  hooks.afterAll(async () => {
    const started = authority;
    authority = undefined;
    await started?.close();
  });
  return () => {
    if (authority === undefined) {
      throw new Error(
        "useLocalAuthority: the authority runs only between the suite's beforeAll and afterAll; " +
          "call the returned function inside a test or a hook",
      );
    }
    return authority;
  };
}

import { randomBytes } from "node:crypto";
import { ClientSecretCredential } from "@credchain/client-secret";
import {
  ManualClock,
  rootContainer,
  Tokens,
  type CacheErrorEvent,
  credentialEvents,
} from "@credchain/core";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "@credchain/local-authority";
import { redisCachePlugin } from "../../src/redisCachePlugin.js";
import type { RedisCacheOptions } from "../../src/RedisCacheOptions.js";

export const KEY = randomBytes(32);

type DependencyContainer = ReturnType<typeof rootContainer.createChildContainer>;

/** A container with its own manual clock and the plugin registered, as an app would set it up. */
export function pluginContainer(
  options: RedisCacheOptions,
  clock = new ManualClock(Date.now()),
): {
  container: DependencyContainer;
  clock: ManualClock;
} {
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: clock });
  redisCachePlugin(options).register(container);
  return { container, clock };
}

/** A fresh credential (empty memory) on `container`. */
export function credential(
  container: DependencyContainer,
  authority: string,
  persistence: { name?: string; allowUnencryptedStorage?: boolean } = { name: "app" },
): ClientSecretCredential {
  return new ClientSecretCredential(DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, {
    authority,
    container,
    cachePersistenceOptions: persistence,
    retryOptions: { maxRetries: 0 },
  });
}

/** Collects every `cache:error` until the returned stop is called. */
export function recordCacheErrors(): { errors: CacheErrorEvent[]; stop(): void } {
  const errors: CacheErrorEvent[] = [];
  const listener = (event: CacheErrorEvent): void => {
    errors.push(event);
  };
  credentialEvents.on("cache:error", listener);
  return { errors, stop: () => credentialEvents.off("cache:error", listener) };
}

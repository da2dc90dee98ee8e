/**
 * The part of a node-redis client (v4 or v5) the plugin uses. Commands go through `sendCommand`,
 * whose shape both majors share, so a caller's client works whatever modules or scripts it has.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  connect(): Promise<unknown>;
  duplicate(): RedisClientLike;
  subscribe(
    channel: string,
    listener: (message: string, channel: string) => void,
  ): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy?(): void;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  unref?(): void;
}

/** Whether `value` looks like a node-redis client: checked once, at plugin creation. */
export function isRedisClient(value: unknown): value is RedisClientLike {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate["sendCommand"] === "function" &&
    typeof candidate["duplicate"] === "function" &&
    typeof candidate["on"] === "function" &&
    "isReady" in candidate
  );
}

/** The part of a node-redis cluster client (`createCluster`, v4 or v5) the plugin uses. */
interface RedisClusterLike {
  readonly isOpen: boolean;
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  connect(): Promise<unknown>;
  duplicate(): RedisClusterLike;
  subscribe(
    channel: string,
    listener: (message: string, channel: string) => void,
  ): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
}

/** Whether `value` looks like a node-redis cluster client: it knows its masters and slots. */
export function isClusterClient(value: unknown): value is RedisClusterLike {
  if (typeof value !== "object" || value === null) return false;
  return (
    "masters" in value &&
    "slots" in value &&
    typeof (value as { sendCommand?: unknown }).sendCommand === "function"
  );
}

/**
 * A cluster client seen as a single client: each command goes to the node of its first key (every
 * key one command or script touches shares one hash tag, so one slot). For scripts that is the
 * first key after the script and the key count; for other commands, the first argument.
 */
export function fromCluster(cluster: RedisClusterLike): RedisClientLike {
  const firstKey = (args: string[]): string | undefined =>
    args[0] === "EVAL" || args[0] === "EVALSHA" ? args[3] : args[1];
  return {
    get isOpen() {
      return cluster.isOpen;
    },
    get isReady() {
      return cluster.isOpen;
    },
    sendCommand: (args) => cluster.sendCommand(firstKey(args), false, args),
    connect: () => cluster.connect(),
    duplicate: () => fromCluster(cluster.duplicate()),
    subscribe: (channel, listener) => cluster.subscribe(channel, listener),
    on: (event, listener) => cluster.on(event, listener),
    close: cluster.close === undefined ? undefined : () => cluster.close!(),
    quit: cluster.quit === undefined ? undefined : () => cluster.quit!(),
    destroy: cluster.destroy === undefined ? undefined : () => cluster.destroy!(),
  };
}

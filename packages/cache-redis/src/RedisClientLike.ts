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

/**
 * Whether `value` looks like a node-redis cluster client (`createCluster`): its `sendCommand`
 * takes the first key and a read-only flag before the arguments.
 */
export function isClusterClient(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return "masters" in value && "slots" in value;
}

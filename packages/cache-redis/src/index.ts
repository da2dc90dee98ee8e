// The public surface of @credchain/cache-redis. Named re-exports only: anything not listed is internal.
export { redisCachePlugin } from "./redisCachePlugin.js";
export type { RedisCacheOptions, RedisCoordinationOptions } from "./RedisCacheOptions.js";
export { RedisCacheError, type RedisCacheErrorReason } from "./RedisCacheError.js";

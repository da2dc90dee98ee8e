// The public surface of @credchain/cache-file. Named re-exports only: anything not listed is internal.
export { fileCachePlugin } from "./fileCachePlugin.js";
export type { FileCacheLockOptions, FileCacheOptions } from "./FileCacheOptions.js";
export { CacheLockTimeoutError, type CacheLockHolder } from "./CacheLockTimeoutError.js";
export { CorruptCacheFileError, type CorruptCacheFileReason } from "./CorruptCacheFileError.js";
export { defaultCacheDirectory, type CacheDirectoryEnvironment } from "./defaultCacheDirectory.js";

/**
 * How one `getToken` call ended: the one vocabulary of events (`result`), spans
 * (`credchain.cache.result`) and metrics. `refresh` is a memory hit while a background refresh
 * runs; `persistent-hit` came from a persistent store; `miss` from the network.
 */
export type TokenResult = "hit" | "refresh" | "persistent-hit" | "miss" | "error";

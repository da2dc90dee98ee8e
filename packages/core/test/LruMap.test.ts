import { describe, expect, it } from "vitest";
import { LruMap } from "../src/cache/LruMap.js";

const order = (map: LruMap<string, number>) => [...map.entries()].map(([key]) => key);

describe("LruMap", () => {
  it("orders entries from least to most recently used; get and set refresh, peek does not", () => {
    const map = new LruMap<string, number>();
    map.set("a", 1);
    map.set("b", 2);
    map.set("c", 3);
    expect(order(map)).toEqual(["a", "b", "c"]);
    expect(map.get("a")).toBe(1);
    expect(order(map)).toEqual(["b", "c", "a"]);
    expect(map.peek("b")).toBe(2);
    expect(order(map)).toEqual(["b", "c", "a"]);
    map.set("b", 20);
    expect(order(map)).toEqual(["c", "a", "b"]);
    expect(map.oldest()).toEqual(["c", 3]);
    expect(map.size).toBe(3);
  });

  it("deletes from the middle and both ends", () => {
    const map = new LruMap<string, number>();
    for (const [i, key] of ["a", "b", "c", "d"].entries()) map.set(key, i);
    expect(map.delete("b")).toBe(true);
    expect(map.delete("a")).toBe(true);
    expect(map.delete("d")).toBe(true);
    expect(map.delete("missing")).toBe(false);
    expect(order(map)).toEqual(["c"]);
    expect(map.oldest()).toEqual(["c", 2]);
    map.delete("c");
    expect(map.oldest()).toBeUndefined();
    map.set("e", 5);
    expect(order(map)).toEqual(["e"]);
  });

  it("lets entries() delete the current entry", () => {
    const map = new LruMap<string, number>();
    for (const [i, key] of ["a", "b", "c"].entries()) map.set(key, i);
    for (const [key, value] of map.entries()) if (value !== 1) map.delete(key);
    expect(order(map)).toEqual(["b"]);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get("b")).toBeUndefined();
  });

  it("evicts exactly the n least recently used entries", () => {
    const map = new LruMap<string, number>();
    for (const [i, key] of ["a", "b", "c", "d", "e"].entries()) map.set(key, i);
    map.get("a");
    map.get("c");
    map.evictLeastRecentlyUsed(2); // use order now: b, d, e, a, c
    expect(order(map)).toEqual(["e", "a", "c"]);
    map.evictLeastRecentlyUsed(0);
    expect(map.size).toBe(3);
    map.evictLeastRecentlyUsed(10);
    expect(map.size).toBe(0);
  });
});

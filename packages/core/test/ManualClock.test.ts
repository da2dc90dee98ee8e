import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/index.js";
import { flush } from "./support/until.js";

describe("ManualClock", () => {
  it("moves only when advanced and wakes sleepers whose deadline has come", async () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    const woke: number[] = [];
    void clock.sleep(100).then(() => woke.push(100));
    void clock.sleep(50).then(() => woke.push(50));
    expect(clock.pendingSleeps).toBe(2);
    clock.advance(49);
    await flush();
    expect(woke).toEqual([]);
    clock.advance(1);
    await flush();
    expect(woke).toEqual([50]);
    clock.advance(50);
    await flush();
    expect(woke).toEqual([50, 100]);
    expect(clock.now()).toBe(1100);
    expect(clock.pendingSleeps).toBe(0);
  });

  it("resolves a zero sleep at once and rejects on abort", async () => {
    const clock = new ManualClock();
    await clock.sleep(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ name: "AbortError" });
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(1, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });
});

import { ManualClock } from "@credchain/core";
import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/CircuitBreaker.js";

describe("CircuitBreaker", () => {
  it("one report per outage, one probe per back-off, the back-off doubles, success closes it", () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(() => clock);
    expect(breaker.allow()).toBe(true);
    expect(breaker.failed()).toBe(true);
    expect(breaker.allow()).toBe(false);
    // A command that was already out fails late: same outage, nothing to report.
    expect(breaker.failed()).toBe(false);

    clock.advance(1_000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // one probe at a time
    expect(breaker.failed()).toBe(false);
    clock.advance(1_000);
    expect(breaker.allow()).toBe(false); // doubled: 2 s now
    clock.advance(1_000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.succeeded()).toBe(true);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.allow()).toBe(true);
    // A new outage is reported again, and starts from the first back-off.
    expect(breaker.failed()).toBe(true);
    clock.advance(1_000);
    expect(breaker.allow()).toBe(true);
  });

  it("never waits more than 30 s between probes", () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(() => clock);
    breaker.failed();
    for (let i = 0; i < 10; i++) {
      clock.advance(30_000);
      expect(breaker.allow()).toBe(true);
      breaker.failed();
    }
  });
});

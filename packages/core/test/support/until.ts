/**
 * Waits (a macrotask at a time) until `condition` holds: for state that moves on real I/O, such as
 * a request reaching the test server or code under test reaching its back-off sleep. The guard only
 * turns a hang into a readable failure; no test asserts on elapsed time.
 */
export async function until(condition: () => boolean, what = "a condition"): Promise<void> {
  const guard = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > guard) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets every pending promise callback run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

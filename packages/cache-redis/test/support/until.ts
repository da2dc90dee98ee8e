/**
 * Waits (a few ms at a time) until `condition` holds: for state that moves on real I/O, such as a
 * client reconnecting. The guard only turns a hang into a readable failure; no test asserts on
 * elapsed time.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const guard = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > guard) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

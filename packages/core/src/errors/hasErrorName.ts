/**
 * Errors are matched by `name`, not `instanceof`: two copies of a package (a nested dependency, a
 * bundler duplicate) must still agree on what an error means.
 */
export function hasErrorName(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

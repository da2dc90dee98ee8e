/**
 * `value` quoted for an error message when it is short, else only its length: a message must
 * never carry unbounded input (a 1 MiB tenant id must not make a 1 MiB error).
 */
export function boundedText(value: string, max = 64): string {
  return value.length <= max ? JSON.stringify(value) : `(${value.length} characters)`;
}

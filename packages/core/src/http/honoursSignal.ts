/**
 * Marks a transport of ours that settles as soon as its request's `signal` aborts. The pipeline
 * races every other transport against the signal (a transport that ignores it must not outlive
 * the attempt); for these the race would be a second abort listener per attempt for nothing, and
 * the first listener on a fresh `AbortSignal` costs more than the rest of the pipeline.
 */
export const HONOURS_SIGNAL: unique symbol = Symbol("credchain.transport.honoursSignal");

/** Whether `transport` is one of ours that settles when its signal aborts. */
export function honoursSignal(transport: object): boolean {
  return (transport as { [HONOURS_SIGNAL]?: unknown })[HONOURS_SIGNAL] === true;
}

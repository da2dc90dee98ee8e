/** Anything text can be written to: a stream, or a test's collector. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * Where a `credchain` run reads and writes: the payload goes to `stdout` only, diagnostics to
 * `stderr`, so `credchain token --output raw | ...` pipes nothing but the token.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Read by `credchain decode` when no token is given as an argument. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /**
   * The environment `doctor`, `KUBERNETES_EXEC_INFO` and the masking of secrets read; default
   * `process.env`. Credentials and the file cache read `process.env` themselves, as they do
   * anywhere, so embed with the same values there.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The running process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

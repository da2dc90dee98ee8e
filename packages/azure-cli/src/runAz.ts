import { execFile } from "node:child_process";
import type { Clock } from "@credchain/core";
import { sleep } from "@credchain/core/credential";

/** How one run of `az` ended. */
export interface AzResult {
  readonly outcome: "exited" | "missing" | "timeout";
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunAzOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly timeoutInMs: number;
  readonly signal: AbortSignal;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs `az` with `args` and no shell, finding it on the environment's `PATH`. On Windows, where
 * az is `az.cmd` and a batch file cannot run without one, `cmd.exe /d /c az …` is used; the
 * arguments are checked to hold no character cmd.exe treats specially before they get here.
 * The process is killed when the timeout (on the injected clock) passes or `signal` aborts.
 */
export function runAz(args: readonly string[], options: RunAzOptions): Promise<AzResult> {
  const windows = process.platform === "win32";
  const file = windows ? (options.env["ComSpec"] ?? "cmd.exe") : "az";
  const argv = windows ? ["/d", "/c", "az", ...args] : [...args];
  return new Promise<AzResult>((resolve, reject) => {
    let timedOut = false;
    const stopTimer = new AbortController();
    const child = execFile(
      file,
      argv,
      {
        env: options.env,
        shell: false,
        windowsHide: true,
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        stopTimer.abort();
        options.signal.removeEventListener("abort", onAbort);
        if (options.signal.aborted) {
          reject(options.signal.reason as Error);
          return;
        }
        const code = (error as { code?: unknown } | null)?.code;
        if (code === "ENOENT") {
          resolve({ outcome: "missing", exitCode: null, stdout: "", stderr: "" });
          return;
        }
        resolve({
          outcome: timedOut ? "timeout" : "exited",
          exitCode: error === null ? 0 : typeof code === "number" ? code : (child.exitCode ?? null),
          stdout,
          stderr,
        });
      },
    );
    const onAbort = (): void => {
      child.kill();
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    sleep(options.clock, options.timeoutInMs, stopTimer.signal).then(
      () => {
        timedOut = true;
        child.kill();
      },
      () => {}, // stopped: az ended first
    );
  });
}

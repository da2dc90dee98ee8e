/**
 * The exit codes of `credchain`, the same for every command, so a script or kubectl can tell a
 * failed sign-in from a typo.
 */
export const ExitCode = {
  /** The command did what was asked. */
  ok: 0,
  /** Authentication failed, or something `credchain doctor` found blocks it. */
  failed: 1,
  /** Bad usage: an unknown option, a missing argument, input that is not what was asked for. */
  usage: 2,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

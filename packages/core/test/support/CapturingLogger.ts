import type { Logger } from "../../src/index.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  details: unknown[];
}

/** A logger that keeps every line, to assert on what was reported (and that nothing secret was). */
export class CapturingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, ...details: unknown[]): void {
    this.entries.push({ level: "debug", message, details });
  }
  info(message: string, ...details: unknown[]): void {
    this.entries.push({ level: "info", message, details });
  }
  warn(message: string, ...details: unknown[]): void {
    this.entries.push({ level: "warn", message, details });
  }
  error(message: string, ...details: unknown[]): void {
    this.entries.push({ level: "error", message, details });
  }

  at(level: LogEntry["level"]): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}

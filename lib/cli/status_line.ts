/**
 * A progress line on stderr, redrawn in place when stderr is a terminal.
 *
 * @module
 */

/** A line on stderr that is redrawn in place; silent when stderr is not a terminal. */
export interface StatusLine {
  /** Replaces the line's text (redrawn at most ten times a second). */
  update(text: string): void;
  /** Prints a message on its own line above the status line. */
  log(message: string): void;
  /** Ends the line so that later output starts on a fresh one. */
  done(): void;
}

/**
 * Creates a {@linkcode StatusLine} on stderr.
 *
 * @param enabled draw it; default: when stderr is a terminal
 * @returns the status line
 *
 * @example
 * ```ts
 * import { statusLine } from "./status_line.ts";
 * const status = statusLine(false);
 * status.update("3/10 pages");
 * status.done();
 * ```
 */
export function statusLine(enabled = Deno.stderr.isTerminal()): StatusLine {
  const encoder = new TextEncoder();
  let lastDraw = 0;
  let pending = "";
  let drawn = false;
  const draw = () => {
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${pending}`));
    drawn = true;
    lastDraw = performance.now();
  };
  return {
    update(text) {
      pending = text;
      if (enabled && performance.now() - lastDraw >= 100) draw();
    },
    log(message) {
      if (enabled && drawn) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      Deno.stderr.writeSync(encoder.encode(`${message}\n`));
      if (enabled && drawn) draw();
    },
    done() {
      if (!enabled) return;
      if (pending) draw();
      if (drawn) Deno.stderr.writeSync(encoder.encode("\n"));
    },
  };
}

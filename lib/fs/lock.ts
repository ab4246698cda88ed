/**
 * One writer at a time: a lock file that names its holder.
 *
 * The lock is a file created with O_EXCL holding the holder's PID, host, start
 * time and purpose. A second writer stops with a message that names the
 * holder. A lock left by a process that no longer runs on this host (killed,
 * power cut) is taken over with a warning: on Linux a process is recognised by
 * its PID and its start time in `/proc`, so a reused PID does not keep a dead
 * lock alive.
 *
 * @module
 */

/** What a lock file records about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock, ISO-8601 UTC. */
  readonly startedAt: string;
  /** What the holder is doing, e.g. `deno task fetch`. */
  readonly purpose: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused PID apart. */
  readonly processStart?: string;
}

/** A held lock. */
export interface Lock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

/** Lock files this process holds, with what identifies them as ours. */
const held = new Map<string, string>();

/**
 * Removes every lock file this process still holds; for a process that is
 * about to exit on a signal, where asynchronous cleanup cannot run.
 *
 * @example
 * ```ts
 * import { releaseHeldLocksSync } from "./lock.ts";
 * releaseHeldLocksSync();
 * ```
 */
export function releaseHeldLocksSync(): void {
  for (const [path, startedAt] of held) {
    try {
      if (readHolder(path)?.startedAt === startedAt) Deno.removeSync(path);
    } catch {
      // Gone already.
    }
  }
  held.clear();
}

/** Another live process holds the lock. */
export class LockedError extends Error {
  /** Who holds it. */
  readonly holder: LockHolder;
  /**
   * @param path the lock file
   * @param holder who holds it
   * @param what the folder, for the message
   */
  constructor(path: string, holder: LockHolder, what: string) {
    super(
      `${what} is in use by another run: ${holder.purpose} (pid ${holder.pid} on ${holder.host}, ` +
        `since ${holder.startedAt}). Wait for it to finish. If it is not running any more ` +
        `(for instance on another machine that shares this folder), delete ${path}`,
    );
    this.name = "LockedError";
    this.holder = holder;
  }
}

/** Options of {@linkcode acquireLock}. */
export interface AcquireLockOptions {
  /** What the holder does, written into the lock (`deno task fetch`). */
  readonly purpose: string;
  /** The folder the lock protects, for messages (`data/raw`). */
  readonly what: string;
  /** Called when a dead holder's lock is taken over. */
  readonly onTakeOver?: (holder: LockHolder) => void;
  /** Whether a process is alive; default: looked up in /proc (tests replace it). */
  readonly isAlive?: (holder: LockHolder) => boolean;
}

function processStartOf(pid: number | "self"): string | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Field 22 (starttime) counts from after the command name, which may hold spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that wrote a lock still runs: false only when it is known
 * to be gone (same host, and no process with its PID and start time).
 *
 * @param holder the lock's holder
 * @returns whether it may still run
 *
 * @example
 * ```ts
 * import { holderIsAlive } from "./lock.ts";
 * import assert from "node:assert/strict";
 * const me = { pid: Deno.pid, host: Deno.hostname(), startedAt: "", purpose: "" };
 * assert.equal(holderIsAlive(me), true);
 * assert.equal(holderIsAlive({ ...me, pid: 2 ** 22 + 1 }), Deno.build.os !== "linux");
 * ```
 */
export function holderIsAlive(holder: LockHolder): boolean {
  if (holder.host !== Deno.hostname()) return true;
  if (holder.pid === Deno.pid) return true;
  if (Deno.build.os !== "linux") return true;
  const start = processStartOf(holder.pid);
  if (start === undefined) return false;
  return holder.processStart === undefined || holder.processStart === start;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(Deno.readTextFileSync(path)) as LockHolder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock file `path`, or throws {@linkcode LockedError} if a live
 * process holds it.
 *
 * @param path the lock file; its folder must exist
 * @param options purpose, folder name for messages, take-over callback
 * @returns the lock; call `release()` when done
 * @throws {LockedError} when another live process holds the lock
 *
 * @example
 * ```ts
 * import { acquireLock, LockedError } from "./lock.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const lock = await acquireLock(`${dir}/.lock`, { purpose: "test", what: dir });
 * await assert.rejects(() => acquireLock(`${dir}/.lock`, { purpose: "test", what: dir }), LockedError);
 * await lock.release();
 * ```
 */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<Lock> {
  const isAlive = options.isAlive ?? holderIsAlive;
  const me: LockHolder = {
    pid: Deno.pid,
    host: Deno.hostname(),
    startedAt: new Date().toISOString(),
    purpose: options.purpose,
    ...(processStartOf("self") === undefined ? {} : { processStart: processStartOf("self") }),
  };
  const text = JSON.stringify(me) + "\n";
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await Deno.writeTextFile(path, text, { createNew: true });
      held.set(path, me.startedAt);
      return {
        path,
        async release() {
          held.delete(path);
          if (readHolder(path)?.startedAt === me.startedAt && readHolder(path)?.pid === me.pid) {
            await Deno.remove(path).catch(() => {});
          }
        },
      };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const holder = readHolder(path);
    if (holder === undefined) {
      // Written but not yet filled in by its holder, or cut short by a crash:
      // either way not ours to take on the first look.
      if (attempt === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      await Deno.remove(path).catch(() => {});
      continue;
    }
    if (isAlive(holder)) throw new LockedError(path, holder, options.what);
    // Take over only the lock we judged dead, not one a third run just wrote.
    if (readHolder(path)?.startedAt === holder.startedAt) {
      await Deno.remove(path).catch(() => {});
      options.onTakeOver?.(holder);
    }
  }
  const holder = readHolder(path);
  if (holder) throw new LockedError(path, holder, options.what);
  throw new Error(`Could not take the lock ${path}: delete it if no other run is active`);
}

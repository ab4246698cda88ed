/**
 * Raw pages into rows: on the main thread, or also in workers
 * (page_worker.ts; by default one per spare core, `deno task tables
 * --workers N`). Pages are asked for a few ahead and given back in the order
 * asked, so memory holds only the pages in flight. Workers take the waiting
 * pages first; the main thread, which puts the records in order, does a
 * waiting page itself only when the page it needs next is not ready, so it
 * never sits idle while pages wait and never holds up the workers.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { type PageContext, type PageRows, pageRows } from "./page_rows.ts";
import type { PageWorkerReply, PageWorkerRequest } from "./page_worker.ts";
import type { SourceModules } from "./source_modules.ts";

/** Something that turns a page file into its rows. */
export interface PageRowsSource {
  /** @returns the rows of the page */
  rows(path: string): Promise<PageRows>;
  /**
   * Does one page that waits for a worker on this thread.
   *
   * @returns false when no page was waiting
   */
  help?(): Promise<boolean>;
  /** Stops its workers, if any. */
  close(): void;
}

/**
 * Turns pages into rows on the main thread.
 *
 * @param context the source, prepared with {@linkcode pageContext}
 * @returns the source of rows
 */
export function pagesOnMainThread(context: PageContext): PageRowsSource {
  return {
    rows: async (path) => pageRows(path, await Deno.readTextFile(path), context),
    close: () => {},
  };
}

/** Pages each worker must have to be worth starting: starting one takes as long as a few pages. */
const PAGES_TO_START_A_WORKER = 16;
/** Most workers started unless asked: each holds a heap of its own. */
const MAX_DEFAULT_WORKERS = 3;

/**
 * How many page workers a run starts unless told: one per core beyond the
 * main thread's, at most {@linkcode MAX_DEFAULT_WORKERS}, and none for a
 * store too small to gain from them.
 *
 * @param pages the pages to read
 * @param cores the machine's cores
 * @returns the number of workers
 *
 * @example
 * ```ts
 * import { defaultPageWorkers } from "./page_pool.ts";
 * import assert from "node:assert/strict";
 * assert.equal(defaultPageWorkers(1000, 2), 1);
 * assert.equal(defaultPageWorkers(1000, 16), 3);
 * assert.equal(defaultPageWorkers(5, 8), 0);
 * ```
 */
export function defaultPageWorkers(
  pages: number,
  cores: number = navigator.hardwareConcurrency,
): number {
  return Math.max(
    0,
    Math.min(cores - 1, MAX_DEFAULT_WORKERS, Math.floor(pages / PAGES_TO_START_A_WORKER)),
  );
}

interface Pending {
  resolve(rows: PageRows): void;
  reject(error: Error): void;
}

/** One worker and its requests. */
class PageWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #ready: Promise<boolean>;
  /** Set once the worker has failed: every page sent to it after fails with it. */
  #failure: Error | undefined;
  inFlight = 0;

  constructor(modules: SourceModules) {
    this.#worker = new Worker(new URL("./page_worker.ts", import.meta.url), { type: "module" });
    let settle: (ready: boolean) => void = () => {};
    this.#ready = new Promise((resolve) => settle = resolve);
    this.#worker.onmessage = (event: MessageEvent<PageWorkerReply>) => {
      const reply = event.data;
      if (reply.kind === "ready" || reply.kind === "failed") {
        settle(reply.kind === "ready");
        return;
      }
      const pending = this.#pending.get(reply.seq);
      if (pending === undefined) return;
      this.#pending.delete(reply.seq);
      this.inFlight--;
      if (reply.kind === "rows") pending.resolve(reply.rows);
      else pending.reject(reply.usage ? new UsageError(reply.message) : new Error(reply.message));
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      settle(false);
      const error = this.#failure = new Error(`A page worker failed: ${event.message}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#send({ kind: "init", modules });
  }

  ready(): Promise<boolean> {
    return this.#ready;
  }

  #send(request: PageWorkerRequest): void {
    this.#worker.postMessage(request);
  }

  rows(seq: number, path: string): Promise<PageRows> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    this.inFlight++;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#send({ kind: "page", seq, path });
    });
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

/** A page asked for and not yet given to a worker. */
interface WaitingPage extends Pending {
  readonly path: string;
}

/** Pages a worker holds at once: the one it works on, and the next, so that it never waits. */
const PAGES_IN_A_WORKER = 2;
/** Pages asked for beyond those the workers hold: more only makes the main thread run ahead. */
const PAGES_WAITING = 2;

/**
 * How many pages to keep asked for ({@linkcode rowsInOrder}'s `ahead`): those
 * the workers hold, and a few waiting for whichever thread is free first.
 *
 * @param workers the page workers started
 * @returns the pages in flight
 *
 * @example
 * ```ts
 * import { pagesInFlight } from "./page_pool.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pagesInFlight(0), 2);
 * assert.equal(pagesInFlight(1), 4);
 * ```
 */
export function pagesInFlight(workers: number): number {
  return workers * PAGES_IN_A_WORKER + PAGES_WAITING;
}

/**
 * Starts workers that turn pages into rows; each imports the source itself.
 * A page asked for goes to a worker with room; otherwise it waits for one,
 * unless the main thread does it first ({@linkcode PageRowsSource.help}).
 *
 * @param modules where the source's API description and schema are defined
 * @param count number of workers
 * @param mainThread the source prepared for the main thread, to help with waiting pages
 * @returns the source of rows, or undefined when the workers could not start
 */
export async function startPageWorkers(
  modules: SourceModules,
  count: number,
  mainThread: PageContext,
): Promise<PageRowsSource | undefined> {
  const workers = Array.from({ length: count }, () => new PageWorker(modules));
  const ready = await Promise.all(workers.map((worker) => worker.ready()));
  if (!ready.every(Boolean)) {
    for (const worker of workers) worker.terminate();
    return undefined;
  }
  let seq = 0;
  const waiting: WaitingPage[] = [];
  const onMainThread = pagesOnMainThread(mainThread);
  const dispatch = () => {
    for (const worker of workers) {
      while (worker.inFlight < PAGES_IN_A_WORKER && waiting.length > 0) {
        const page = waiting.shift()!;
        worker.rows(seq++, page.path).then(page.resolve, page.reject).finally(dispatch);
      }
    }
  };
  return {
    rows: (path) =>
      new Promise((resolve, reject) => {
        waiting.push({ path, resolve, reject });
        dispatch();
      }),
    help: async () => {
      const page = waiting.shift();
      if (page === undefined) return false;
      await onMainThread.rows(page.path).then(page.resolve, page.reject);
      return true;
    },
    close: () => {
      for (const worker of workers) worker.terminate();
    },
  };
}

/**
 * The rows of each file, in the order given, with up to `ahead` pages asked for
 * before their turn; while the next is not ready, this thread does waiting
 * pages ({@linkcode PageRowsSource.help}).
 *
 * @param paths the files, in the order they are wanted
 * @param source what turns a page into rows
 * @param ahead how many pages may be in flight
 * @returns each file's rows, in order
 */
export async function* rowsInOrder(
  paths: readonly string[],
  source: PageRowsSource,
  ahead: number,
): AsyncGenerator<PageRows> {
  const inFlight: Promise<PageRows>[] = [];
  let next = 0;
  const ask = () => {
    const request = source.rows(paths[next++]!);
    // A failure is reported when its turn comes; never left unhandled before.
    request.catch(() => {});
    inFlight.push(request);
  };
  while (next < paths.length && inFlight.length < ahead) ask();
  while (inFlight.length > 0) {
    const head = inFlight.shift()!;
    let ready = false;
    head.then(() => ready = true, () => ready = true);
    // While the page needed next is not ready, this thread does pages that wait.
    while (!ready && source.help && await source.help()) { /* helped with one page */ }
    const rows = await head;
    if (next < paths.length) ask();
    yield rows;
  }
}

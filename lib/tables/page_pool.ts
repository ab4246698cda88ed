/**
 * Raw pages into rows: on the main thread, or, when asked
 * (`deno task tables --workers N`), also in workers (page_worker.ts) that
 * read and flatten pages while the main thread takes its share and puts the
 * records in order. Pages are asked for a few ahead and given back in the
 * order asked, so memory holds only the pages in flight.
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

interface Pending {
  resolve(rows: PageRows): void;
  reject(error: Error): void;
}

/** One worker and its requests. */
class PageWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #ready: Promise<boolean>;
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
      const error = new Error(`A page worker failed: ${event.message}`);
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

/**
 * Starts workers that turn pages into rows; each imports the source itself.
 * With a context for the main thread, the main thread takes its share of the
 * pages too (one in `count + 1`), so that `count` workers and the main thread
 * keep `count + 1` cores busy.
 *
 * @param modules where the source's API description and schema are defined
 * @param count number of workers
 * @param mainThread the source prepared for the main thread, to give it pages too
 * @returns the source of rows, or undefined when the workers could not start
 */
export async function startPageWorkers(
  modules: SourceModules,
  count: number,
  mainThread?: PageContext,
): Promise<PageRowsSource | undefined> {
  const workers = Array.from({ length: count }, () => new PageWorker(modules));
  const ready = await Promise.all(workers.map((worker) => worker.ready()));
  if (!ready.every(Boolean)) {
    for (const worker of workers) worker.terminate();
    return undefined;
  }
  let seq = 0;
  let asked = 0;
  const onMainThread = mainThread && pagesOnMainThread(mainThread);
  return {
    rows: (path) => {
      if (onMainThread && asked++ % (count + 1) === count) return onMainThread.rows(path);
      // The worker with the fewest pages in flight.
      const worker = workers.reduce((best, next) => next.inFlight < best.inFlight ? next : best);
      return worker.rows(seq++, path);
    },
    close: () => {
      for (const worker of workers) worker.terminate();
    },
  };
}

/**
 * The rows of each file, in the order given, with up to `ahead` pages asked for
 * before their turn.
 *
 * @param paths the files, in the order they are wanted
 * @param source what turns a page into rows
 * @param ahead how many pages may be in flight
 * @returns each file's index and rows, in order
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
    const rows = await inFlight.shift()!;
    if (next < paths.length) ask();
    yield rows;
  }
}

/**
 * The simulator of `scripts/bench_fetch.ts`, in a worker of its own: the
 * server's work then runs on another core, as LivePerson's does on its
 * machines, instead of taking turns with the client's in one event loop and
 * making the client look slower than it is. It remembers its answers (with a
 * fixed clock), so once a page was asked for, building its records costs
 * nothing: what is measured is the client against latency and a cap, not the
 * simulator's own speed.
 *
 * {@linkcode startSimulatorWorker} starts it and talks to it; loaded as a
 * worker, this module answers those requests.
 *
 * @module
 */

import type { DatasetOptions } from "../lib/simulator/dataset_options.ts";
import type { FaultOptions } from "../lib/simulator/faults.ts";
import { type Simulator, startSimulator } from "../lib/simulator/server.ts";
import { sourceByName } from "../lib/sources/mod.ts";

/** What the worker is asked. */
type Request =
  | { readonly kind: "start"; readonly source: string; readonly dataset: DatasetOptions }
  | { readonly kind: "faults"; readonly faults: FaultOptions }
  | { readonly kind: "log"; readonly since: number }
  | { readonly kind: "close" };

/** One search as the bench counts it. */
export interface LoggedSearch {
  readonly status: number;
  readonly overCap: boolean;
}

/** What the worker answers. */
type Reply =
  | { readonly kind: "started"; readonly url: string; readonly ids: readonly string[] }
  | { readonly kind: "log"; readonly searches: readonly LoggedSearch[]; readonly length: number }
  | { readonly kind: "done" };

/** A simulator running in a worker. */
export interface SimulatorWorker {
  /** Base URL of the server. */
  readonly url: string;
  /** Keys of every record in the dataset. */
  readonly ids: readonly string[];
  /** Replaces the fault options (restarting the fault stream). */
  setFaults(faults: FaultOptions): Promise<void>;
  /** The searches received so far: how many, and those from `since` on. */
  searches(since: number): Promise<{ length: number; searches: readonly LoggedSearch[] }>;
  /** Stops the server and the worker. */
  close(): Promise<void>;
}

/**
 * Starts the simulator in a worker.
 *
 * @param dataset the dataset served
 * @returns the running simulator's handle
 *
 * @example
 * ```ts
 * import { startSimulatorWorker } from "./bench_fetch_simulator.ts";
 * import assert from "node:assert/strict";
 * const from = Date.UTC(2024, 0, 1);
 * const dataset = { count: 10, from, to: from + 86_400_000 };
 * const simulator = await startSimulatorWorker("messaging-interactions", dataset);
 * assert.equal(simulator.ids.length, 10);
 * assert.deepEqual(await simulator.searches(0), { length: 0, searches: [] });
 * await simulator.close();
 * ```
 */
export async function startSimulatorWorker(
  source: string,
  dataset: DatasetOptions,
): Promise<SimulatorWorker> {
  const worker = new Worker(import.meta.url, { type: "module" });
  // One question at a time, so each answer belongs to the question before it.
  let last: Promise<unknown> = Promise.resolve();
  const ask = <T extends Reply>(request: Request): Promise<T> => {
    const answer = last.then(() =>
      new Promise<T>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<T>) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`the simulator worker failed: ${event.message}`));
        };
        worker.postMessage(request);
      })
    );
    last = answer.catch(() => {});
    return answer;
  };
  const started = await ask<Extract<Reply, { kind: "started" }>>({
    kind: "start",
    source,
    dataset,
  });
  return {
    url: started.url,
    ids: started.ids,
    setFaults: async (faults) => {
      await ask({ kind: "faults", faults });
    },
    searches: async (since) => {
      const log = await ask<Extract<Reply, { kind: "log" }>>({ kind: "log", since });
      return { length: log.length, searches: log.searches };
    },
    close: async () => {
      await ask({ kind: "close" });
      worker.terminate();
    },
  };
}

/** Answers the bench's requests, inside the worker. */
function serve(scope: { onmessage: unknown; postMessage(reply: Reply): void }): void {
  let simulator: Simulator | undefined;
  scope.onmessage = async (event: MessageEvent<Request>) => {
    const request = event.data;
    switch (request.kind) {
      case "start": {
        const source = sourceByName(request.source);
        // A clock well after the range: every record has appeared and ended, and stays so.
        const settled = request.dataset.to + 30 * 86_400_000;
        simulator = await startSimulator({
          serve: [{ api: source.simulated, dataset: request.dataset }],
          clock: () => settled,
          cacheAnswers: true,
        });
        const ids = simulator.recordsIn(request.dataset.from, request.dataset.to)
          .map((record) => source.api.recordState(record)!.id);
        scope.postMessage({ kind: "started", url: simulator.url, ids });
        return;
      }
      case "faults":
        simulator!.setFaults(request.faults);
        scope.postMessage({ kind: "done" });
        return;
      case "log":
        scope.postMessage({
          kind: "log",
          length: simulator!.searches.length,
          searches: simulator!.searches.slice(request.since).map((search) => ({
            status: search.status,
            overCap: search.overCap === true,
          })),
        });
        return;
      case "close":
        await simulator?.close();
        scope.postMessage({ kind: "done" });
        return;
    }
  };
}

/** Whether this code runs in a worker (where `import.meta.main` is true as well). */
function inWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
    .WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

if (inWorker()) serve(globalThis as unknown as Parameters<typeof serve>[0]);

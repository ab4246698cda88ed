/**
 * The raw store as the tables step reads it: checked to be a store, complete,
 * and verified against its manifest — or the run stops, naming what is wrong
 * and how to put it right, before anything is committed.
 *
 * Hashing every file takes about as long as parsing them, so it runs in a
 * worker (verify_worker.ts), on another core, while the tables are built into
 * their temporary folder: {@linkcode withVerifiedStore} lets the build finish
 * only once every file matched, and reports a mismatch rather than whatever
 * reading a damaged file caused.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { HistoryApi } from "../fetch/history_api.ts";
import { ManifestDamagedError, type ManifestEntry } from "../fetch/manifest.ts";
import {
  apiFolder,
  readStoreManifest,
  type StoredPage,
  storedPages,
} from "../fetch/store_layout.ts";
import { describeProblems, type StoreProblem } from "../fetch/verify.ts";
import type { VerifyReply, VerifyRequest } from "./verify_worker.ts";
import { windowStates } from "../fetch/window_state.ts";

/** The raw store of one API, verified and ready to read. */
export interface VerifiedStore {
  /** Response files, newest fetch first. */
  readonly pages: readonly StoredPage[];
  /** Windows a fetch left incomplete (read only when allowed). */
  readonly incompleteWindows: readonly string[];
  /** Windows fetched before their data settled. */
  readonly unsettledWindows: readonly string[];
  /** The API folder and its manifest, to verify the files against ({@linkcode withVerifiedStore}). */
  readonly folder: string;
  readonly entries: readonly ManifestEntry[];
}

/**
 * Whether a raw folder holds a store of the API; touches nothing.
 *
 * @param inDir the raw folder
 * @param api the API
 * @returns true when `<inDir>/<api>/manifest.jsonl` exists
 * @throws {UsageError} when `inDir` is missing or a file
 *
 * @example
 * ```ts
 * import { hasRawStore } from "./verified_input.ts";
 * import assert from "node:assert/strict";
 * assert.equal(hasRawStore(await Deno.makeTempDir(), { name: "engagement-history" }), false);
 * assert.throws(() => hasRawStore("/no/such/folder", { name: "engagement-history" }), /does not exist/);
 * ```
 */
export function hasRawStore(inDir: string, api: Pick<HistoryApi, "name">): boolean {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(inDir);
  } catch {
    throw new UsageError(
      `Input folder ${inDir} does not exist: run \`deno task fetch\` first, or pass --in <folder>`,
    );
  }
  if (!info.isDirectory) {
    throw new UsageError(
      `--in ${inDir} is a file: pass the raw folder that \`deno task fetch\` wrote (data/raw)`,
    );
  }
  try {
    return Deno.statSync(`${apiFolder(inDir, api)}/manifest.jsonl`).isFile;
  } catch {
    return false;
  }
}

/**
 * Reads an API's raw store; its files are verified by {@linkcode withVerifiedStore}.
 *
 * @param inDir the raw folder
 * @param api the API
 * @param allowIncomplete read windows a fetch left incomplete instead of refusing
 * @returns the pages to read, the windows that are incomplete or unsettled, and the manifest
 * @throws {UsageError} for a damaged manifest, no pages, or incomplete windows not allowed
 */
export async function readVerifiedStore(
  inDir: string,
  api: Pick<HistoryApi, "name">,
  allowIncomplete: boolean,
): Promise<VerifiedStore> {
  let entries: ManifestEntry[];
  try {
    entries = (await readStoreManifest(inDir, api)).entries;
  } catch (error) {
    if (error instanceof ManifestDamagedError) {
      throw new UsageError(error.message, { cause: error });
    }
    throw error;
  }
  const folder = apiFolder(inDir, api);
  const pages = storedPages(inDir, api, entries);
  if (pages.length === 0) {
    throw new UsageError(
      `No raw pages in ${folder}: run \`deno task fetch\` first, or pass --in <folder> with ` +
        `the raw folder fetch wrote`,
    );
  }
  const incompleteWindows: string[] = [];
  const unsettledWindows: string[] = [];
  for (const [name, state] of windowStates(entries, [])) {
    if (state.completion === undefined) incompleteWindows.push(name);
    else if (!state.completion.settled) unsettledWindows.push(name);
  }
  if (incompleteWindows.length > 0 && !allowIncomplete) {
    throw new UsageError(
      `${incompleteWindows.length} window(s) of ${folder} were not fetched completely ` +
        `(${incompleteWindows.slice(0, 3).join(", ")}${
          incompleteWindows.length > 3 ? ", …" : ""
        }), so tables built now would lack records: run \`deno task fetch\` with the same ` +
        `dates to finish them, or pass --allow-incomplete to build anyway`,
    );
  }
  return {
    pages,
    incompleteWindows: incompleteWindows.sort(),
    unsettledWindows: unsettledWindows.sort(),
    folder,
    entries,
  };
}

function verifyInWorker(
  folder: string,
  entries: readonly ManifestEntry[],
): Promise<readonly StoreProblem[]> {
  const worker = new Worker(new URL("./verify_worker.ts", import.meta.url), { type: "module" });
  return new Promise<readonly StoreProblem[]>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<VerifyReply>) => {
      worker.terminate();
      const reply = event.data;
      if ("problems" in reply) resolve(reply.problems);
      else reject(new Error(`Checking ${folder} against its manifest failed: ${reply.error}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`Checking ${folder} against its manifest failed: ${event.message}`));
    };
    const request: VerifyRequest = { folder, entries };
    worker.postMessage(request);
  });
}

/**
 * Verifies a store's files against its manifest (size and SHA-256) while
 * `work` reads them, and gives the work's result only once every file
 * matched. When files do not match, that is the error, even if the work
 * failed first (reading a damaged file fails in its own way); either way,
 * both have ended when this returns.
 *
 * @param store the store, from {@linkcode readVerifiedStore}
 * @param work the work that reads it (building tables into a temporary folder)
 * @returns the work's result
 * @throws {UsageError} naming the files that do not match the manifest
 */
export async function withVerifiedStore<T>(
  store: Pick<VerifiedStore, "folder" | "entries">,
  work: () => Promise<T>,
): Promise<T> {
  const verifying = verifyInWorker(store.folder, store.entries);
  const [verified, done] = await Promise.allSettled([verifying, work()]);
  if (verified.status === "rejected") throw verified.reason;
  if (verified.value.length > 0) {
    throw new UsageError(
      `The raw store ${store.folder} does not match its manifest, so tables built from it ` +
        `could lack records: ${describeProblems(verified.value, 5).join("; ")}. Run ` +
        `\`deno task fetch\` (with your usual dates), which fetches these pages again`,
    );
  }
  if (done.status === "rejected") throw done.reason;
  return done.value;
}

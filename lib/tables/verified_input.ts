/**
 * The raw store as the tables step reads it: checked to be a store, verified
 * against its manifest, and complete — or the run stops, naming what is wrong
 * and how to put it right, before anything is written.
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
import { describeProblems, verifyStore } from "../fetch/verify.ts";
import { windowStates } from "../fetch/window_state.ts";

/** The raw store of one API, verified and ready to read. */
export interface VerifiedStore {
  /** Response files, newest fetch first. */
  readonly pages: readonly StoredPage[];
  /** Windows a fetch left incomplete (read only when allowed). */
  readonly incompleteWindows: readonly string[];
  /** Windows fetched before their data settled. */
  readonly unsettledWindows: readonly string[];
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
 * Reads and verifies an API's raw store.
 *
 * @param inDir the raw folder
 * @param api the API
 * @param allowIncomplete read windows a fetch left incomplete instead of refusing
 * @returns the pages to read and the windows that are incomplete or unsettled
 * @throws {UsageError} for a damaged manifest, a file that does not match it, no pages,
 *   or incomplete windows not allowed
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
  const problems = await verifyStore(folder, entries);
  if (problems.length > 0) {
    throw new UsageError(
      `The raw store ${folder} does not match its manifest, so tables built from it could ` +
        `lack records: ${describeProblems(problems, 5).join("; ")}. Run \`deno task fetch\` ` +
        `(with your usual dates), which fetches these pages again`,
    );
  }
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
  };
}

/**
 * Where the tables step writes, and how a run's tables replace the last run's.
 *
 * ```text
 * <out>/_lp_history.json              marker: this folder is lp-history's tables output
 * <out>/.lp-history.lock              held while a run writes
 * <out>/<source>/                     one folder per API: <table>.csv, <table>.parquet, _summary.json
 * <out>/.tmp-<source>-<id>/           a run's tables while it builds them
 * <out>/.old-<source>-<id>/           the previous tables while they are swapped out
 * ```
 *
 * A run builds into a temporary folder and, once complete, exchanges it with
 * `<out>/<source>/` in one step, so that folder always holds a complete set.
 * Every run first puts back a complete set a killed run left aside and removes
 * the temporary and old folders of killed runs.
 *
 * @module
 */

import { exists, recoverFolder, replaceFolder } from "../fs/atomic.ts";
import { acquireLock, type Lock } from "../fs/lock.ts";
import {
  checkOutputFolder,
  claimFolder,
  type OutputFolderState,
  OWNER_MARKER,
  realPath,
} from "../fs/owned_folder.ts";
import { UsageError } from "../errors.ts";

/** Name of the summary file in each source folder. */
export const SUMMARY_FILE = "_summary.json";
/** Name of the lock file in the tables folder. */
export const TABLES_LOCK_FILE = ".lp-history.lock";

const LEFTOVER = /^\.(tmp|old)-(.+)-[0-9a-f]{8}$/;

/** Options of {@linkcode checkTablesOutput}. */
export interface CheckTablesOutputOptions {
  /** The raw folder read, kept apart from the output. */
  readonly inDir: string;
  /** Names of the sources whose folders the output may hold. */
  readonly sources: readonly string[];
}

/**
 * The files of the first layout (tables straight in the folder, listed in its
 * `_summary.json`) when everything else in the folder is the tool's own;
 * undefined if the folder is not such a folder.
 */
function legacyFiles(dir: string, isOwnEntry: (name: string) => boolean): string[] | undefined {
  try {
    const summary = JSON.parse(Deno.readTextFileSync(`${dir}/${SUMMARY_FILE}`)) as {
      files?: unknown;
    };
    if (!Array.isArray(summary.files)) return undefined;
    const listed = new Set([SUMMARY_FILE, ...summary.files.filter((f) => typeof f === "string")]);
    const entries = [...Deno.readDirSync(dir)].map((entry) => entry.name);
    const own = (name: string) => name === OWNER_MARKER || isOwnEntry(name);
    return entries.every((name) => listed.has(name) || own(name))
      ? entries.filter((name) => listed.has(name))
      : undefined;
  } catch {
    return undefined;
  }
}

function ownEntryRule(sources: readonly string[]): (name: string) => boolean {
  return (name) => name === TABLES_LOCK_FILE || sources.includes(name) || LEFTOVER.test(name);
}

/**
 * Checks the tables output folder without touching anything: it must be new,
 * empty, or lp-history's tables output, and apart from the raw folder.
 *
 * @param outDir the `--out` folder
 * @param options the raw folder and the sources
 * @returns the folder's absolute path and whether it exists
 * @throws {UsageError} naming the folder, the reason and the fix
 *
 * @example
 * ```ts
 * import { checkTablesOutput } from "./output.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const options = { inDir: `${dir}/raw`, sources: ["engagement-history"] };
 * assert.throws(() => checkTablesOutput(dir, options), /contains --in/);
 * assert.equal(checkTablesOutput(`${dir}/tables`, options).exists, false);
 * ```
 */
export function checkTablesOutput(
  outDir: string,
  options: CheckTablesOutputOptions,
): OutputFolderState {
  if (outDir.trim() === "") throw new UsageError("Empty --out: name the folder for the tables");
  const isOwn = ownEntryRule(options.sources);
  // Tables written by the first version of the tool lie flat in the folder.
  const legacy = legacyFiles(realPath(outDir), isOwn);
  return checkOutputFolder(outDir, {
    option: "--out",
    kind: "tables",
    keepApart: { "--in": options.inDir },
    isOwnEntry: (name) => isOwn(name) || (legacy?.includes(name) ?? false),
    ownWithoutMarker: legacy !== undefined,
  });
}

/**
 * Removes a tables folder that a run created and then stopped without
 * putting tables in: its marker, then the folder, only if nothing else is in it.
 *
 * @param outDir the `--out` folder, which did not exist before the run
 *
 * @example
 * ```ts
 * import { removeNewOutput } from "./output.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/_lp_history.json`, "{}");
 * await removeNewOutput(dir);
 * assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
 * ```
 */
export async function removeNewOutput(outDir: string): Promise<void> {
  await Deno.remove(`${outDir}/${OWNER_MARKER}`).catch(() => {});
  // Not recursive: anything else in it stays, and so does the folder.
  await Deno.remove(outDir).catch(() => {});
}

/** A source folder being built; commit it to make it the source's tables. */
export interface TablesBuild {
  /** Folder to write the tables into. */
  readonly folder: string;
  /** Puts the built folder in place of `<out>/<source>/` and releases the lock. */
  commit(): Promise<void>;
  /** Removes the built folder and releases the lock. */
  abort(): Promise<void>;
}

/** Options of {@linkcode startTablesBuild}. */
export interface StartTablesBuildOptions {
  /** Receives notes for the user: recovered folders, leftovers removed. */
  readonly onNote?: (message: string) => void;
}

async function isComplete(folder: string): Promise<boolean> {
  return await exists(`${folder}/${SUMMARY_FILE}`);
}

/**
 * Prepares a build of one source's tables: claims the output folder, takes
 * its lock, puts back a complete set a killed run left aside, removes
 * leftovers, and creates the temporary folder.
 *
 * @param outDir the output folder ({@linkcode checkTablesOutput} accepted it)
 * @param source the source's name, e.g. `engagement-history`
 * @param options notes callback
 * @returns the build
 */
export async function startTablesBuild(
  outDir: string,
  source: string,
  options: StartTablesBuildOptions = {},
): Promise<TablesBuild> {
  const legacy = legacyFiles(outDir, ownEntryRule([source]));
  await claimFolder(outDir, "tables");
  const lock: Lock = await acquireLock(`${outDir}/${TABLES_LOCK_FILE}`, {
    purpose: "deno task tables",
    what: outDir,
    onTakeOver: (holder) =>
      options.onNote?.(
        `warning: took over the lock of an earlier tables run that stopped ` +
          `(pid ${holder.pid}, started ${holder.startedAt})`,
      ),
  });
  try {
    const target = `${outDir}/${source}`;
    const leftovers = [...Deno.readDirSync(outDir)]
      .map((entry) => entry.name)
      .filter((name) => LEFTOVER.exec(name)?.[2] === source)
      .map((name) => `${outDir}/${name}`);
    // A newer complete build (.tmp) is preferred to the set it was replacing (.old).
    const newestFirst = [...leftovers].sort((a, b) =>
      Number(b.includes("/.tmp-")) - Number(a.includes("/.tmp-")) ||
      Deno.statSync(b).mtime!.getTime() - Deno.statSync(a).mtime!.getTime()
    );
    const restored = await recoverFolder(target, newestFirst, isComplete);
    if (restored) options.onNote?.(`note: ${target} was missing after a killed run; put back`);
    for (const leftover of leftovers) {
      if (leftover !== restored) await Deno.remove(leftover, { recursive: true });
    }
    const id = crypto.randomUUID().slice(0, 8);
    const folder = `${outDir}/.tmp-${source}-${id}`;
    await Deno.mkdir(folder);
    let done = false;
    const finish = async (work: () => Promise<void>) => {
      if (done) return;
      done = true;
      try {
        await work();
      } finally {
        await lock.release();
      }
    };
    return {
      folder,
      commit: () =>
        finish(async () => {
          await replaceFolder(folder, target, { asideName: `${outDir}/.old-${source}-${id}` });
          // The first layout's flat files are superseded by the source folder.
          for (const name of legacy ?? []) {
            if (name !== OWNER_MARKER) await Deno.remove(`${outDir}/${name}`).catch(() => {});
          }
        }),
      abort: () => finish(() => Deno.remove(folder, { recursive: true }).catch(() => {})),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

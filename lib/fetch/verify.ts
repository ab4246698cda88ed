/**
 * Checking a raw store against its manifest: every listed file present, with
 * the size and SHA-256 the manifest recorded, and no file the manifest does
 * not list.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { isTemporaryFileName } from "../fs/atomic.ts";
import { type FileEntry, MANIFEST_FILE, type ManifestEntry } from "./manifest.ts";
import {
  isWindowFolderName,
  listedFiles,
  QUARANTINE_FOLDER,
  RECORDS_FOLDER,
  sha256Hex,
  UPDATES_FOLDER,
} from "./store_layout.ts";

/** What is wrong with a stored file. */
export type ProblemKind = "missing" | "truncated" | "altered" | "unlisted";

/** One file that does not match the manifest. */
export interface StoreProblem {
  readonly kind: ProblemKind;
  /** The file, relative to the API folder. */
  readonly file: string;
  /** Its manifest entry; absent for an unlisted file. */
  readonly entry?: FileEntry;
}

/** Files up to this size are hashed in one piece: four times faster than a stream of chunks. */
const WHOLE_FILE_BYTES = 32 * 2 ** 20;

/** Hashes files, reading each one whole into a buffer reused from file to file. */
class FileHasher {
  #buffer = new Uint8Array(0);

  /** The SHA-256 of the file's first `size` bytes (its whole content, once its size was checked). */
  async sha256(path: string, size: number): Promise<string> {
    if (size > WHOLE_FILE_BYTES) {
      const hash = createHash("sha256");
      // Reading the stream to its end closes the file.
      for await (const chunk of (await Deno.open(path)).readable) hash.update(chunk);
      return hash.digest("hex");
    }
    if (this.#buffer.length < size) this.#buffer = new Uint8Array(Math.max(size, 2 ** 20));
    const bytes = this.#buffer.subarray(0, size);
    using file = await Deno.open(path);
    let filled = 0;
    while (filled < size) {
      const read = await file.read(bytes.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return sha256Hex(bytes.subarray(0, filled));
  }
}

async function checkListed(
  folder: string,
  entry: FileEntry,
  hasher: FileHasher,
): Promise<StoreProblem | undefined> {
  const path = `${folder}/${entry.file}`;
  let size: number;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return { kind: "altered", file: entry.file, entry };
    size = info.size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing", file: entry.file, entry };
    throw error;
  }
  if (size < entry.bytes) return { kind: "truncated", file: entry.file, entry };
  if (size !== entry.bytes || (await hasher.sha256(path, size)) !== entry.sha256) {
    return { kind: "altered", file: entry.file, entry };
  }
  return undefined;
}

async function unlistedFiles(folder: string, listed: ReadonlySet<string>): Promise<string[]> {
  const unlisted: string[] = [];
  let top: Deno.DirEntry[];
  try {
    top = await Array.fromAsync(Deno.readDir(folder));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const entry of top) {
    if (entry.name === MANIFEST_FILE || entry.name === QUARANTINE_FOLDER) continue;
    if (isTemporaryFileName(entry.name)) continue;
    const storeFolder = isWindowFolderName(entry.name) || entry.name === RECORDS_FOLDER ||
      entry.name === UPDATES_FOLDER;
    if (!entry.isDirectory || !storeFolder) {
      unlisted.push(entry.name);
      continue;
    }
    for await (const file of Deno.readDir(`${folder}/${entry.name}`)) {
      const relative = `${entry.name}/${file.name}`;
      if (isTemporaryFileName(file.name) || listed.has(relative)) continue;
      unlisted.push(relative);
    }
  }
  return unlisted.sort();
}

/**
 * Verifies every file of an API folder against the manifest's entries.
 *
 * @param folder the API folder (`data/raw/engagement-history`)
 * @param entries the manifest's entries
 * @returns the problems, listed files first in manifest order, then unlisted files
 *
 * @example
 * ```ts
 * import { verifyStore } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/20240101T000000Z_20240102T000000Z`);
 * await Deno.writeTextFile(`${dir}/20240101T000000Z_20240102T000000Z/offset-000000.json`, "{}");
 * const problems = await verifyStore(dir, []);
 * assert.deepEqual(problems.map((p) => p.kind), ["unlisted"]);
 * ```
 */
export async function verifyStore(
  folder: string,
  entries: readonly ManifestEntry[],
): Promise<StoreProblem[]> {
  const listed = listedFiles(entries);
  const problems: StoreProblem[] = [];
  const hasher = new FileHasher();
  for (const entry of listed.values()) {
    const problem = await checkListed(folder, entry, hasher);
    if (problem) problems.push(problem);
  }
  for (const file of await unlistedFiles(folder, new Set(listed.keys()))) {
    problems.push({ kind: "unlisted", file });
  }
  return problems;
}

/**
 * Moves unlisted files out of the store into its quarantine folder, so they
 * are kept but never read as data.
 *
 * @param folder the API folder
 * @param problems the problems {@linkcode verifyStore} found
 * @returns the quarantine folder used, or undefined when nothing was moved
 */
export async function quarantineUnlisted(
  folder: string,
  problems: readonly StoreProblem[],
): Promise<string | undefined> {
  const unlisted = problems.filter((problem) => problem.kind === "unlisted");
  if (unlisted.length === 0) return undefined;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  const quarantine = `${folder}/${QUARANTINE_FOLDER}/${stamp}`;
  for (const { file } of unlisted) {
    const target = `${quarantine}/${file}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.rename(`${folder}/${file}`, target);
  }
  return quarantine;
}

/**
 * One line per problem, for messages: `missing 2024…/offset-000100.json`.
 *
 * @param problems the problems
 * @param limit how many to list before "and N more"
 * @returns the lines
 *
 * @example
 * ```ts
 * import { describeProblems } from "./verify.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(describeProblems([{ kind: "missing", file: "w/offset-000000.json" }]), [
 *   "missing: w/offset-000000.json (listed in the manifest, not on disk)",
 * ]);
 * ```
 */
export function describeProblems(problems: readonly StoreProblem[], limit = 20): string[] {
  const why: Record<ProblemKind, string> = {
    missing: "listed in the manifest, not on disk",
    truncated: "shorter than the manifest records",
    altered: "its content differs from what was fetched",
    unlisted: "not written by a fetch: no manifest line lists it",
  };
  const lines = problems.slice(0, limit).map((problem) =>
    `${problem.kind}: ${problem.file} (${why[problem.kind]})`
  );
  if (problems.length > limit) lines.push(`… and ${problems.length - limit} more`);
  return lines;
}

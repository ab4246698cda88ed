/**
 * Where things lie in the raw store, and which files its manifest lists.
 *
 * ```text
 * <raw>/.lp-history.lock                          held while a run writes (or reads) the store
 * <raw>/<api>/manifest.jsonl                      one JSON object per line (see manifest.ts)
 * <raw>/<api>/<window>/offset-000000.json         the body of the page at offset 0
 * <raw>/<api>/records/<key>.json                  one record fetched again whole (it was partial or open)
 * <raw>/<api>/updates/since-<t>_<window>_offset-000000.json
 *                                                 a page of the records of a window changed since <t>
 * <raw>/<api>/quarantine/<time>/…                 files found in the store that no manifest line lists
 * ```
 *
 * `<api>` is the API's name (`engagement-history`) and `<window>` names the
 * time window in UTC (`20240101T000000Z_20240102T000000Z`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { isTemporaryFileName } from "../fs/atomic.ts";
import type { HistoryApi } from "./history_api.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";
import {
  type FileEntry,
  MANIFEST_FILE,
  type ManifestEntry,
  ManifestFile,
  type PageEntry,
} from "./manifest.ts";

/** Name of the lock file in the raw directory. */
export const RAW_LOCK_FILE = ".lp-history.lock";
/** Folder of an API folder where unlisted files are moved. */
export const QUARANTINE_FOLDER = "quarantine";
/** Folder of an API folder where records fetched again by key are kept. */
export const RECORDS_FOLDER = "records";
/** Folder of an API folder where the pages of searches for changed records are kept. */
export const UPDATES_FOLDER = "updates";

const WINDOW_FOLDER = /^\d{8}T\d{6}Z_\d{8}T\d{6}Z$/;

/**
 * Whether a folder name is one {@linkcode windowFolderName} gives.
 *
 * @param name a folder name
 * @returns true for a window folder
 *
 * @example
 * ```ts
 * import { isWindowFolderName } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isWindowFolderName("20240101T000000Z_20240102T000000Z"), true);
 * assert.equal(isWindowFolderName("notes"), false);
 * ```
 */
export function isWindowFolderName(name: string): boolean {
  return WINDOW_FOLDER.test(name);
}

/**
 * Names a page file by its offset, zero-padded so that files sort in page order.
 *
 * @param offset the page's offset
 * @returns the file name
 *
 * @example
 * ```ts
 * import { pageFileName } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pageFileName(200), "offset-000200.json");
 * ```
 */
export function pageFileName(offset: number): string {
  return `offset-${String(offset).padStart(6, "0")}.json`;
}

/**
 * Hex SHA-256 of some bytes.
 *
 * @param bytes the bytes
 * @returns lower-case hex digest
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sha256Hex(new Uint8Array()).slice(0, 8), "e3b0c442");
 * ```
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The folder of one API inside the raw directory.
 *
 * @param rawDir the raw directory
 * @param api the API
 * @returns `<rawDir>/<api name>`
 *
 * @example
 * ```ts
 * import { apiFolder } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(apiFolder("data/raw", { name: "engagement-history" }), "data/raw/engagement-history");
 * ```
 */
export function apiFolder(rawDir: string, api: Pick<HistoryApi, "name">): string {
  return `${rawDir}/${api.name}`;
}

/**
 * The files the manifest lists (pages, records fetched by key, pages of
 * changed records), each with
 * its latest entry: a file written again is described by its newest line.
 *
 * @param entries the manifest's entries
 * @returns file (relative to the API folder) → its entry
 *
 * @example
 * ```ts
 * import { listedFiles } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(listedFiles([{ kind: "host", host: "h", at: "" }]).size, 0);
 * ```
 */
export function listedFiles(entries: readonly ManifestEntry[]): Map<string, FileEntry> {
  const files = new Map<string, FileEntry>();
  for (const entry of entries) {
    if (entry.kind === "page" || entry.kind === "record" || entry.kind === "update") {
      files.set(entry.file, entry);
    }
  }
  return files;
}

/**
 * The files the manifest lists, oldest fetch first: by arrival time, and by
 * the order of their lines where times are equal (a later line is newer).
 *
 * @param entries the manifest's entries
 * @returns the latest entry of each file, oldest first
 *
 * @example
 * ```ts
 * import { filesByAge } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * const at = "2024-01-01T00:00:00.000Z";
 * const entries = [
 *   { kind: "page", file: "b", fetchedAt: at },
 *   { kind: "record", file: "a", fetchedAt: at },
 * ] as never[];
 * assert.deepEqual(filesByAge(entries).map((entry) => entry.file), ["b", "a"]);
 * ```
 */
export function filesByAge(entries: readonly ManifestEntry[]): FileEntry[] {
  const line = new Map<FileEntry, number>();
  entries.forEach((entry, index) => {
    if (entry.kind === "page" || entry.kind === "record" || entry.kind === "update") {
      line.set(entry, index);
    }
  });
  return [...listedFiles(entries).values()].sort((a, b) =>
    Date.parse(a.fetchedAt) - Date.parse(b.fetchedAt) || line.get(a)! - line.get(b)!
  );
}

/**
 * The page files the manifest lists, each with its latest entry.
 *
 * @param entries the manifest's entries
 * @returns file (relative to the API folder) → its page entry
 */
export function listedPages(entries: readonly ManifestEntry[]): Map<string, PageEntry> {
  const pages = new Map<string, PageEntry>();
  for (const [file, entry] of listedFiles(entries)) {
    if (entry.kind === "page") pages.set(file, entry);
  }
  return pages;
}

/**
 * Whether an entry of an API folder is one the store writes.
 *
 * @param name a file or folder name in the API folder
 * @returns true for the manifest, window folders, the quarantine and temporary files
 *
 * @example
 * ```ts
 * import { isStoreEntryName } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isStoreEntryName("manifest.jsonl"), true);
 * assert.equal(isStoreEntryName("my-notes.txt"), false);
 * ```
 */
export function isStoreEntryName(name: string): boolean {
  return name === MANIFEST_FILE || name === QUARANTINE_FOLDER || name === RECORDS_FOLDER ||
    name === UPDATES_FOLDER || isWindowFolderName(name) || isTemporaryFileName(name);
}

/**
 * Names the file of a record fetched by key; the key is percent-encoded so any
 * key is a safe file name.
 *
 * @param id the record's key
 * @returns the path relative to the API folder
 *
 * @example
 * ```ts
 * import { recordFileName } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(recordFileName("qa35931557429"), "records/qa35931557429.json");
 * assert.equal(recordFileName("a/b"), "records/a%2Fb.json");
 * ```
 */
export function recordFileName(id: string): string {
  return `${RECORDS_FOLDER}/${encodeURIComponent(id)}.json`;
}

/**
 * Names the file of a page of a search for the records of a window changed
 * since a moment.
 *
 * @param since the moment, epoch ms
 * @param window the window searched
 * @param offset the page's offset
 * @returns the path relative to the API folder
 *
 * @example
 * ```ts
 * import { updatePageFileName } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   updatePageFileName(Date.UTC(2024, 1, 1, 4), { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) }, 100),
 *   "updates/since-20240201T040000Z_20240101T000000Z_20240102T000000Z_offset-000100.json",
 * );
 * ```
 */
export function updatePageFileName(since: number, window: TimeWindow, offset: number): string {
  const moment = windowFolderName({ from: since, to: since }).split("_")[0];
  return `${UPDATES_FOLDER}/since-${moment}_${windowFolderName(window)}_${pageFileName(offset)}`;
}

/**
 * Reads an API folder's manifest, for readers that do not write (tables, verify).
 *
 * @param rawDir the raw directory
 * @param api the API
 * @returns the manifest; empty if there is none
 */
export function readStoreManifest(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
): Promise<ManifestFile> {
  return ManifestFile.read(`${apiFolder(rawDir, api)}/${MANIFEST_FILE}`);
}

/** A stored file of responses (a page, or a record fetched by key), as readers see it. */
export interface StoredPage {
  /** Full path of the file. */
  readonly path: string;
  /** Its manifest entry. */
  readonly entry: FileEntry;
}

/**
 * Lists every response file the manifest lists (pages and records fetched by
 * key), newest fetch first, so that a reader that keeps the first copy of
 * each record keeps the most recently fetched one.
 *
 * @param rawDir the raw directory
 * @param api the API
 * @param entries the manifest's entries
 * @returns the page files
 */
export function storedPages(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
  entries: readonly ManifestEntry[],
): StoredPage[] {
  const folder = apiFolder(rawDir, api);
  return filesByAge(entries).reverse().map((entry) => ({ path: `${folder}/${entry.file}`, entry }));
}

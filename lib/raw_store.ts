/**
 * The raw store: every search response body, byte-exact, one file per page,
 * plus a manifest that records where each page came from.
 *
 * Layout under the raw directory (default `data/raw`):
 *
 * ```text
 * <raw>/<api>/manifest.jsonl                      one JSON object per line (see ManifestEntry)
 * <raw>/<api>/<window>/offset-000000.json         the body of the page at offset 0
 * <raw>/<api>/<window>/offset-000100.json         ...
 * ```
 *
 * `<api>` is the API's name (`engagement-history`) and `<window>` names the time
 * window in UTC (`20240101T000000Z_20240102T000000Z`). Page files are written to
 * a temporary name and renamed, so a crash never leaves a half-written page; the
 * manifest is only appended to after the rename, so every manifest line names a
 * complete file. A window line is appended once all of a window's pages are in,
 * which is what `fetch` resumes from.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { HistoryApi } from "./history_api.ts";
import type { TimeWindow } from "./windows.ts";

/** Name of the manifest file inside each API folder. */
export const MANIFEST_FILE = "manifest.jsonl";

/** A manifest line for one stored page. */
export interface PageEntry {
  readonly kind: "page";
  /** API name, e.g. `engagement-history`. */
  readonly api: string;
  /** The window the page belongs to, epoch ms, half-open `[from, to)`. */
  readonly window: TimeWindow;
  /** Offset of the page's first record in the window's result. */
  readonly offset: number;
  /** `limit` the page was requested with. */
  readonly limit: number;
  /** `_metadata.count` the server reported: records in the whole window. */
  readonly count: number;
  /** Records on this page. */
  readonly records: number;
  /** Path of the page file, relative to the API folder, with `/` separators. */
  readonly file: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** SHA-256 of the file's bytes, lower-case hex. */
  readonly sha256: string;
  /** When the response arrived, ISO-8601 UTC. */
  readonly fetchedAt: string;
  /** True if the server flagged the page as partial and retries did not cure it. */
  readonly partialResult: boolean;
}

/** A manifest line recording that every page of a window is stored. */
export interface WindowEntry {
  readonly kind: "window";
  readonly api: string;
  readonly window: TimeWindow;
  /** `_metadata.count` of the window. */
  readonly count: number;
  /** Pages stored for the window. */
  readonly pages: number;
  /** When the window was completed, ISO-8601 UTC. */
  readonly completedAt: string;
}

/** One line of `manifest.jsonl`. */
export type ManifestEntry = PageEntry | WindowEntry;

/** What {@linkcode writePage} needs to know about a page. */
export interface PageToWrite {
  readonly window: TimeWindow;
  readonly offset: number;
  readonly limit: number;
  readonly count: number;
  readonly records: number;
  readonly partialResult: boolean;
  /** The response body exactly as received. */
  readonly body: Uint8Array;
  /** Arrival time; defaults to now. */
  readonly fetchedAt?: Date;
}

/**
 * Names a window's folder by its UTC bounds.
 *
 * @param window the window
 * @returns the folder name
 *
 * @example
 * ```ts
 * import { windowFolderName } from "./raw_store.ts";
 * import assert from "node:assert/strict";
 * const from = Date.UTC(2024, 0, 1), to = Date.UTC(2024, 0, 1, 0, 10);
 * assert.equal(windowFolderName({ from, to }), "20240101T000000Z_20240101T001000Z");
 * ```
 */
export function windowFolderName(window: TimeWindow): string {
  const compact = (ms: number) =>
    new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `${compact(window.from)}_${compact(window.to)}`;
}

/**
 * Names a page file by its offset, zero-padded so that files sort in page order.
 *
 * @param offset the page's offset
 * @returns the file name
 *
 * @example
 * ```ts
 * import { pageFileName } from "./raw_store.ts";
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
 * import { sha256Hex } from "./raw_store.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sha256Hex(new Uint8Array()).slice(0, 8), "e3b0c442");
 * ```
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The folder of one API inside the raw directory. */
export function apiFolder(rawDir: string, api: Pick<HistoryApi, "name">): string {
  return `${rawDir}/${api.name}`;
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder, then
 * a rename, so readers see either nothing or the whole file.
 *
 * @param path destination file
 * @param bytes content
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeFile(temporary, bytes);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

async function appendManifest(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
  entry: ManifestEntry,
): Promise<void> {
  await Deno.writeTextFile(
    `${apiFolder(rawDir, api)}/${MANIFEST_FILE}`,
    JSON.stringify(entry) + "\n",
    { append: true },
  );
}

/**
 * Stores one page body byte-exact and records it in the manifest.
 *
 * @param rawDir the raw directory (`data/raw`)
 * @param api the API the page came from
 * @param page the page and its facts
 * @returns the manifest entry that was appended
 */
export async function writePage(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
  page: PageToWrite,
): Promise<PageEntry> {
  const folder = windowFolderName(page.window);
  await Deno.mkdir(`${apiFolder(rawDir, api)}/${folder}`, { recursive: true });
  const file = `${folder}/${pageFileName(page.offset)}`;
  await writeFileAtomic(`${apiFolder(rawDir, api)}/${file}`, page.body);
  const entry: PageEntry = {
    kind: "page",
    api: api.name,
    window: { from: page.window.from, to: page.window.to },
    offset: page.offset,
    limit: page.limit,
    count: page.count,
    records: page.records,
    file,
    bytes: page.body.byteLength,
    sha256: sha256Hex(page.body),
    fetchedAt: (page.fetchedAt ?? new Date()).toISOString(),
    partialResult: page.partialResult,
  };
  await appendManifest(rawDir, api, entry);
  return entry;
}

/**
 * Records that all pages of a window are stored.
 *
 * @param rawDir the raw directory
 * @param api the API
 * @param window the completed window, with its count and number of pages
 * @returns the manifest entry that was appended
 */
export async function markWindowComplete(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
  window: { readonly window: TimeWindow; readonly count: number; readonly pages: number },
): Promise<WindowEntry> {
  const entry: WindowEntry = {
    kind: "window",
    api: api.name,
    window: { from: window.window.from, to: window.window.to },
    count: window.count,
    pages: window.pages,
    completedAt: new Date().toISOString(),
  };
  await appendManifest(rawDir, api, entry);
  return entry;
}

/**
 * Reads an API's manifest. A last line cut short by a crash is ignored; a bad
 * line elsewhere is an error that names the file and line.
 *
 * @param rawDir the raw directory
 * @param api the API
 * @returns the entries in the order they were written; empty if there is no manifest
 */
export async function readManifest(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
): Promise<ManifestEntry[]> {
  const path = `${apiFolder(rawDir, api)}/${MANIFEST_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const lines = text.split("\n");
  const entries: ManifestEntry[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as ManifestEntry);
    } catch {
      const isLastLine = lines.slice(index + 1).every((rest) => rest.trim() === "");
      if (isLastLine) break;
      throw new SyntaxError(
        `${path}, line ${index + 1}, is not valid JSON: delete that line and run fetch again`,
      );
    }
  }
  return entries;
}

/**
 * The set of windows whose pages are all stored, as folder names.
 *
 * @param entries the manifest entries
 * @returns folder names of completed windows
 */
export function completedWindowNames(entries: readonly ManifestEntry[]): Set<string> {
  return new Set(
    entries.filter((entry) => entry.kind === "window").map((entry) =>
      windowFolderName(entry.window)
    ),
  );
}

/** A stored page file found by {@linkcode listPageFiles}. */
export interface StoredPage {
  /** Full path of the page file. */
  readonly path: string;
  /** API folder name it was found under. */
  readonly api: string;
  /** Arrival time in epoch ms: from the manifest, else the file's modification time. */
  readonly fetchedAtMs: number;
}

/**
 * Lists every stored page file of one API, newest fetch first, so that a reader
 * that keeps the first copy of each record keeps the most recently fetched one.
 *
 * @param rawDir the raw directory
 * @param api the API
 * @returns the page files; empty if the API folder does not exist
 */
export async function listPageFiles(
  rawDir: string,
  api: Pick<HistoryApi, "name">,
): Promise<StoredPage[]> {
  const folder = apiFolder(rawDir, api);
  const fetchedAt = new Map<string, number>();
  for (const entry of await readManifest(rawDir, api)) {
    if (entry.kind === "page") fetchedAt.set(entry.file, Date.parse(entry.fetchedAt));
  }
  const pages: StoredPage[] = [];
  let windowFolders: Deno.DirEntry[];
  try {
    windowFolders = await Array.fromAsync(Deno.readDir(folder));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const windowFolder of windowFolders) {
    if (!windowFolder.isDirectory) continue;
    for await (const file of Deno.readDir(`${folder}/${windowFolder.name}`)) {
      if (!file.isFile || !/^offset-\d+\.json$/.test(file.name)) continue;
      const relative = `${windowFolder.name}/${file.name}`;
      const path = `${folder}/${relative}`;
      const fetchedAtMs = fetchedAt.get(relative) ??
        (await Deno.stat(path)).mtime?.getTime() ?? 0;
      pages.push({ path, api: api.name, fetchedAtMs });
    }
  }
  return pages.sort((a, b) => b.fetchedAtMs - a.fetchedAtMs || a.path.localeCompare(b.path));
}

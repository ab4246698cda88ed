/**
 * The raw store: every search response body, byte-exact, one file per page,
 * and a manifest that records what each file must contain (its layout is in
 * store_layout.ts). One process writes an API's folder at a time. A page is written
 * to a temporary file, recorded in the manifest, then renamed into place: a
 * crash leaves either the old file or the new one, and a file that does not
 * match its manifest line is found by verification and fetched again.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { isTemporaryFileName, writeFileAtomic } from "../fs/atomic.ts";
import { acquireLock } from "../fs/lock.ts";
import type { HistoryApi } from "./history_api.ts";
import {
  type FileEntry,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type ManifestEntry,
  ManifestFile,
  type PageEntry,
  type RecordEntry,
  type StoreEntry,
  type UpdatePageEntry,
  type UpdatesEntry,
  type WindowEntry,
} from "./manifest.ts";
import { Mutex } from "./mutex.ts";
import {
  apiFolder,
  isStoreEntryName,
  isWindowFolderName,
  pageFileName,
  RAW_LOCK_FILE,
  recordFileName,
  RECORDS_FOLDER,
  sha256Hex,
  updatePageFileName,
  UPDATES_FOLDER,
} from "./store_layout.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";

/** The store's header line, if it has one. */
function storeHeader(entries: readonly ManifestEntry[]): StoreEntry | undefined {
  const first = entries[0];
  return first?.kind === "store" ? first : undefined;
}

/** The host the store's pages last came from. */
function currentHost(entries: readonly ManifestEntry[]): string | undefined {
  let host: string | undefined;
  for (const entry of entries) {
    if (entry.kind === "store" || entry.kind === "host") host = entry.host;
  }
  return host;
}

/** Facts the fetcher learns about a page, for {@linkcode RawStore.writePage}. */
export interface PageToWrite extends
  Pick<
    PageEntry,
    | "window"
    | "generation"
    | "offset"
    | "limit"
    | "count"
    | "records"
    | "partialResult"
    | "partialIds"
    | "openIds"
  > {
  /** The page held fewer records than its count implies. */
  readonly short: boolean;
  /** The response body exactly as received. */
  readonly body: Uint8Array;
  /** Arrival time; defaults to now. */
  readonly fetchedAt?: Date;
}

/** A record fetched again by its key, for {@linkcode RawStore.writeRecord}. */
export interface RecordToWrite {
  readonly id: string;
  readonly window: TimeWindow;
  readonly records: number;
  readonly partial: boolean;
  readonly open: boolean;
  /** The response body exactly as received. */
  readonly body: Uint8Array;
  readonly fetchedAt?: Date;
}

/** Options of {@linkcode RawStore.open}. */
export interface OpenStoreOptions {
  /** The account whose data is fetched; a store of another account is refused. */
  readonly accountId: string;
  /** Scheme and host the pages come from; a change is recorded and reported. */
  readonly host: string;
  /** Receives one-line notes for the user (a repaired manifest, a changed host). */
  readonly onNote?: (message: string) => void;
}

/**
 * One API's folder of the raw store, open for writing. Only one process may
 * have it open: callers hold the raw directory's lock.
 */
export class RawStore {
  /** The API folder. */
  readonly folder: string;
  /** The API. */
  readonly api: Pick<HistoryApi, "name">;
  /** The manifest, with every entry written so far. */
  readonly manifest: ManifestFile;
  /** Manifest lines and renames, one at a time, so a file's newest line and its bytes agree. */
  readonly #commits = new Mutex();

  private constructor(folder: string, api: Pick<HistoryApi, "name">, manifest: ManifestFile) {
    this.folder = folder;
    this.api = api;
    this.manifest = manifest;
  }

  /**
   * Opens (or creates) an API's folder: checks that it is a store of this
   * account, records a change of host, and repairs a manifest whose last line
   * was cut short.
   *
   * @param rawDir the raw directory
   * @param api the API
   * @param options account, host, notes
   * @returns the store
   * @throws {UsageError} for a folder of another account or with files the tool did not write
   *
   * @example
   * ```ts
   * import { RawStore } from "./raw_store.ts";
   * import assert from "node:assert/strict";
   * const dir = await Deno.makeTempDir();
   * const api = { name: "engagement-history" };
   * await RawStore.open(dir, api, { accountId: "1", host: "http://h" });
   * await assert.rejects(
   *   () => RawStore.open(dir, api, { accountId: "2", host: "http://h" }),
   *   /account 1/,
   * );
   * ```
   */
  static async open(
    rawDir: string,
    api: Pick<HistoryApi, "name">,
    options: OpenStoreOptions,
  ): Promise<RawStore> {
    const folder = apiFolder(rawDir, api);
    await checkStoreFolder(folder);
    let manifest = await ManifestFile.read(`${folder}/${MANIFEST_FILE}`);
    const now = new Date().toISOString();
    const header = storeHeader(manifest.entries);
    if (header !== undefined && header.accountId !== options.accountId) {
      throw new UsageError(
        `${folder} holds data of LivePerson account ${header.accountId}, and the API key is for ` +
          `account ${options.accountId}: use --out with another folder for this account`,
      );
    }
    if (header !== undefined && header.api !== api.name) {
      throw new UsageError(
        `${folder} holds data of the ${header.api} API, not ${api.name}: use another --out folder`,
      );
    }
    await Deno.mkdir(folder, { recursive: true });
    if (manifest.cutTail) {
      options.onNote?.(
        `note: the last line of ${manifest.path} was cut short (a crash or a full disk); ` +
          `it is cut away and the page it described is fetched again`,
      );
    }
    const entry: StoreEntry = {
      kind: "store",
      version: MANIFEST_VERSION,
      api: api.name,
      accountId: options.accountId,
      host: options.host,
      createdAt: now,
    };
    if (manifest.entries.length === 0) {
      await manifest.append([entry]);
    } else if (header === undefined) {
      // A store of the first manifest format: bind it to this account from now on.
      manifest = await adoptLegacyManifest(manifest, entry);
      options.onNote?.(
        `note: ${manifest.path} did not record its account; it now records account ` +
          `${options.accountId}`,
      );
    } else if (currentHost(manifest.entries) !== options.host) {
      options.onNote?.(
        `note: the API host changed from ${currentHost(manifest.entries)} to ${options.host}; ` +
          `recorded in ${manifest.path}`,
      );
      await manifest.append([{ kind: "host", host: options.host, at: now }]);
    }
    if (manifest.cutTail) await manifest.append([]);
    return new RawStore(folder, api, manifest);
  }

  /**
   * Stores one page body byte-exact: a temporary file, its manifest line, then
   * the rename into place.
   *
   * @param page the page and its facts
   * @returns the manifest entry that was appended
   */
  async writePage(page: PageToWrite): Promise<PageEntry> {
    const folder = windowFolderName(page.window);
    await Deno.mkdir(`${this.folder}/${folder}`, { recursive: true });
    const file = `${folder}/${pageFileName(page.offset)}`;
    return await this.#store(file, page.body, {
      kind: "page",
      generation: page.generation,
      ...this.#pageFacts(file, page),
      ...(page.short ? { short: true } : {}),
    });
  }

  /** What a manifest line says of any page: where it lies, what it holds, its bytes. */
  #pageFacts(file: string, page: Omit<PageToWrite, "generation" | "short">) {
    return {
      api: this.api.name,
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
      ...(page.partialIds?.length ? { partialIds: page.partialIds } : {}),
      ...(page.openIds?.length ? { openIds: page.openIds } : {}),
    };
  }

  /**
   * Stores one page of a search for the records of a window changed since a
   * moment, byte-exact.
   *
   * @param page the page, its facts and the moment
   * @returns the manifest entry that was appended
   */
  async writeUpdatePage(
    page: Omit<PageToWrite, "generation" | "short"> & { readonly since: number },
  ): Promise<UpdatePageEntry> {
    await Deno.mkdir(`${this.folder}/${UPDATES_FOLDER}`, { recursive: true });
    const file = updatePageFileName(page.since, page.window, page.offset);
    return await this.#store(file, page.body, {
      kind: "update",
      since: page.since,
      ...this.#pageFacts(file, page),
    });
  }

  /**
   * Records that every page of a search for changed records is stored.
   *
   * @param entry the moment, the start times searched, when it began, records found
   * @returns the appended entry
   */
  async completeUpdates(
    entry: Pick<UpdatesEntry, "since" | "range" | "startedAt" | "records">,
  ): Promise<UpdatesEntry> {
    const line: UpdatesEntry = { kind: "updates", api: this.api.name, ...entry };
    await this.#commits.run(() => this.manifest.append([line]));
    return line;
  }

  /**
   * Stores the answer of a request for one record by its key, byte-exact.
   *
   * @param record the record's key, window, state and response body
   * @returns the manifest entry that was appended
   */
  async writeRecord(record: RecordToWrite): Promise<RecordEntry> {
    await Deno.mkdir(`${this.folder}/${RECORDS_FOLDER}`, { recursive: true });
    const file = recordFileName(record.id);
    return await this.#store(file, record.body, {
      kind: "record",
      api: this.api.name,
      id: record.id,
      window: { from: record.window.from, to: record.window.to },
      file,
      bytes: record.body.byteLength,
      sha256: sha256Hex(record.body),
      fetchedAt: (record.fetchedAt ?? new Date()).toISOString(),
      records: record.records,
      partial: record.partial,
      open: record.open,
    });
  }

  /**
   * A temporary file, its manifest line, then the rename into place. Bodies
   * are written concurrently; the line and the rename are one step taken one
   * at a time, so when the same file is written twice at once the later line
   * always describes the bytes that stay.
   */
  async #store<T extends FileEntry>(file: string, body: Uint8Array, entry: T): Promise<T> {
    const path = `${this.folder}/${file}`;
    const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    await Deno.writeFile(temporary, body);
    try {
      await this.#commits.run(async () => {
        await this.manifest.append([entry]);
        await Deno.rename(temporary, path);
      });
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    return entry;
  }

  /**
   * Records that every page of a window's generation is stored.
   *
   * @param entry what to record (without kind, api and time)
   * @returns the appended entry
   */
  async completeWindow(
    entry: Pick<WindowEntry, "window" | "generation" | "count" | "pages" | "settled">,
  ): Promise<WindowEntry> {
    const line: WindowEntry = {
      kind: "window",
      api: this.api.name,
      window: { from: entry.window.from, to: entry.window.to },
      generation: entry.generation,
      count: entry.count,
      pages: entry.pages,
      completedAt: new Date().toISOString(),
      settled: entry.settled,
    };
    await this.#commits.run(() => this.manifest.append([line]));
    return line;
  }

  /**
   * Deletes the temporary files of runs that were killed while writing a page.
   *
   * @returns how many were deleted
   */
  async removeTemporaryFiles(): Promise<number> {
    let removed = 0;
    for await (const windowFolder of Deno.readDir(this.folder)) {
      const holdsFiles = isWindowFolderName(windowFolder.name) ||
        windowFolder.name === RECORDS_FOLDER;
      if (!windowFolder.isDirectory || !holdsFiles) continue;
      for await (const file of Deno.readDir(`${this.folder}/${windowFolder.name}`)) {
        if (file.isFile && isTemporaryFileName(file.name)) {
          await Deno.remove(`${this.folder}/${windowFolder.name}/${file.name}`);
          removed++;
        }
      }
    }
    return removed;
  }
}

async function checkStoreFolder(folder: string): Promise<void> {
  let entries: string[];
  try {
    entries = (await Array.fromAsync(Deno.readDir(folder))).map((entry) => entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    if (error instanceof Deno.errors.NotADirectory) {
      throw new UsageError(`${folder} is a file: remove it or use another --out folder`);
    }
    throw error;
  }
  const foreign = entries.filter((name) => !isStoreEntryName(name));
  if (foreign.length > 0) {
    throw new UsageError(
      `${folder} holds ${foreign.slice(0, 3).map((name) => `"${name}"`).join(", ")}, which ` +
        `lp-history did not write: move ${
          foreign.length === 1 ? "it" : "them"
        } elsewhere, or use --out with another folder`,
    );
  }
}

async function adoptLegacyManifest(
  manifest: ManifestFile,
  header: StoreEntry,
): Promise<ManifestFile> {
  const upgraded = [header, ...manifest.entries.map(upgradeLegacyEntry)];
  const text = upgraded.map((entry) => JSON.stringify(entry) + "\n").join("");
  await writeFileAtomic(manifest.path, new TextEncoder().encode(text));
  return await ManifestFile.read(manifest.path);
}

const LEGACY_SETTLE_MS = 2 * 60 * 60 * 1000;

/**
 * Entries of the first format had no generation and no settled flag: every
 * page was generation 1, and a window counts as settled only if it ended two
 * hours before it was completed (that format marked still-open days complete).
 */
function upgradeLegacyEntry(entry: ManifestEntry): ManifestEntry {
  const legacy = (entry as { generation?: number }).generation === undefined;
  if (entry.kind === "page" && legacy) return { ...entry, generation: 1 };
  if (entry.kind === "window" && legacy) {
    const settled = entry.window.to <= Date.parse(entry.completedAt) - LEGACY_SETTLE_MS;
    return { ...entry, generation: 1, settled };
  }
  return entry;
}

/**
 * Runs `work` while holding the raw directory's lock, so that no other run
 * writes the store meanwhile.
 *
 * @param rawDir the raw directory (created if missing)
 * @param purpose what the holder does, for the other runs' messages
 * @param work the work
 * @param onNote receives a warning when a dead run's lock is taken over
 * @returns what `work` returns
 * @throws {LockedError} when another live run holds the lock
 */
export async function withRawLock<T>(
  rawDir: string,
  purpose: string,
  work: () => Promise<T>,
  onNote?: (message: string) => void,
): Promise<T> {
  try {
    await Deno.mkdir(rawDir, { recursive: true });
  } catch (error) {
    throw new UsageError(
      `Cannot write to ${rawDir} (${(error as Error).message.split(":")[0]}): ` +
        `choose a folder you can write to with --out`,
      { cause: error },
    );
  }
  const lock = await acquireLock(`${rawDir}/${RAW_LOCK_FILE}`, {
    purpose,
    what: rawDir,
    onTakeOver: (holder) =>
      onNote?.(
        `warning: took over the lock of an earlier run that stopped without releasing it ` +
          `(pid ${holder.pid}, started ${holder.startedAt})`,
      ),
  });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

/**
 * The manifest of a raw store: one JSON object per line, appended as pages
 * arrive, the record of what each stored file must contain.
 *
 * The first line binds the store to an account and an API; page lines carry
 * each file's size and SHA-256, so any change to a file is found; window lines
 * say a window's pages are all in. Every line ends with a newline, so a line
 * cut short by a crash or a full disk is recognised, and it is cut away before
 * the next line is written rather than merged with it.
 *
 * @module
 */

import { Mutex } from "./mutex.ts";
import type { TimeWindow } from "./windows.ts";

/** Name of the manifest file inside each API folder. */
export const MANIFEST_FILE = "manifest.jsonl";

/** Version of the manifest format this code writes. */
export const MANIFEST_VERSION = 2;

/** First line: whose data the store holds. */
export interface StoreEntry {
  readonly kind: "store";
  readonly version: number;
  /** API name, e.g. `engagement-history`. */
  readonly api: string;
  readonly accountId: string;
  /** Scheme and host the pages came from when the store was created. */
  readonly host: string;
  readonly createdAt: string;
}

/** The API host changed (another simulator port, a moved account). */
export interface HostEntry {
  readonly kind: "host";
  readonly host: string;
  readonly at: string;
}

/** A stored page. */
export interface PageEntry {
  readonly kind: "page";
  readonly api: string;
  /** The window the page belongs to, epoch ms, half-open `[from, to)`. */
  readonly window: TimeWindow;
  /** Which fetch of the window the page belongs to; each new full fetch counts up from 1. */
  readonly generation: number;
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
  /** The server flagged the page as partial, and retries did not cure it. */
  readonly partialResult: boolean;
  /** The page held fewer records than its count implies, and retries did not cure it. */
  readonly short?: boolean;
  /** Keys of records on the page the API truncated (`isPartial`); absent when none. */
  readonly partialIds?: readonly string[];
  /** Keys of records on the page that had not ended; absent when none. */
  readonly openIds?: readonly string[];
}

/** One record fetched again by its key, because it was partial or open. */
export interface RecordEntry {
  readonly kind: "record";
  readonly api: string;
  /** The record's key. */
  readonly id: string;
  /** The window the record was found in (sent with the request, as the API requires). */
  readonly window: TimeWindow;
  /** Path of the response file, relative to the API folder. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly fetchedAt: string;
  /** Records in the response: 1, or 0 when LivePerson no longer has it. */
  readonly records: number;
  /** Still partial after this fetch. */
  readonly partial: boolean;
  /** Still open after this fetch. */
  readonly open: boolean;
}

/**
 * A page of a search for the records of a window that changed since a moment
 * (`latestUpdateTime`): what `--since-last` asks an API that can filter so,
 * to fetch again the records that closed, were surveyed or enriched since.
 */
export interface UpdatePageEntry extends Omit<PageEntry, "kind" | "generation" | "short"> {
  readonly kind: "update";
  /** The moment the search asked for records changed since, epoch ms. */
  readonly since: number;
}

/** Every page of a search for changed records was stored. */
export interface UpdatesEntry {
  readonly kind: "updates";
  readonly api: string;
  /** The moment the search asked for records changed since, epoch ms. */
  readonly since: number;
  /** The start times searched, epoch ms, half-open. */
  readonly range: TimeWindow;
  /** When the search began, ISO-8601 UTC: the records are as of then or later. */
  readonly startedAt: string;
  /** Records found. */
  readonly records: number;
}

/** Every page of one generation of a window is stored. */
export interface WindowEntry {
  readonly kind: "window";
  readonly api: string;
  readonly window: TimeWindow;
  readonly generation: number;
  /** `_metadata.count` of the window. */
  readonly count: number;
  /** Pages stored for the window. */
  readonly pages: number;
  /** When the window was completed, ISO-8601 UTC. */
  readonly completedAt: string;
  /**
   * The window ended more than the settle lag before it was fetched, so its
   * data is final; an unsettled window is fetched again by the next run.
   */
  readonly settled: boolean;
}

/** One line of the manifest. */
export type ManifestEntry =
  | StoreEntry
  | HostEntry
  | PageEntry
  | RecordEntry
  | UpdatePageEntry
  | UpdatesEntry
  | WindowEntry;

/** A line that describes a stored file. */
export type FileEntry = PageEntry | RecordEntry | UpdatePageEntry;

/** A manifest line that is not valid, other than a cut last line. */
export class ManifestDamagedError extends Error {
  /**
   * @param path the manifest
   * @param line 1-based line number
   */
  constructor(path: string, line: number) {
    super(
      `${path}, line ${line}, is damaged (not a JSON object): restore it from a backup, or ` +
        `delete that line and run \`deno task fetch\`, which then fetches the page it described again`,
    );
    this.name = "ManifestDamagedError";
  }
}

/**
 * A manifest file: its entries as read, and appends that keep it whole.
 *
 * @example
 * ```ts
 * import { ManifestFile } from "./manifest.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"kind":"host","host":"a","at":"t"}\n{"kind":"ho');
 * const manifest = await ManifestFile.read(path);
 * assert.equal(manifest.entries.length, 1);
 * assert.equal(manifest.cutTail, true);
 * await manifest.append([{ kind: "host", host: "b", at: "t" }]);
 * assert.equal((await ManifestFile.read(path)).entries.length, 2);
 * ```
 */
export class ManifestFile {
  /** The manifest file. */
  readonly path: string;
  /** Its entries, in the order they were written. */
  readonly entries: ManifestEntry[];
  #completeBytes: number;
  #cutTail: boolean;
  readonly #appends = new Mutex();

  private constructor(path: string, entries: ManifestEntry[], completeBytes: number, cut: boolean) {
    this.path = path;
    this.entries = entries;
    this.#completeBytes = completeBytes;
    this.#cutTail = cut;
  }

  /**
   * Reads a manifest. A last line without its newline was cut short and is
   * ignored; any other bad line is an error.
   *
   * @param path the manifest file
   * @returns the manifest; no entries when the file does not exist
   * @throws {ManifestDamagedError} naming the bad line
   */
  static async read(path: string): Promise<ManifestFile> {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return new ManifestFile(path, [], 0, false);
      throw error;
    }
    const completeBytes = bytes.lastIndexOf(0x0a) + 1;
    const text = new TextDecoder().decode(bytes.subarray(0, completeBytes));
    const entries: ManifestEntry[] = [];
    for (const [index, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new ManifestDamagedError(path, index + 1);
      }
      if (typeof entry !== "object" || entry === null || !("kind" in entry)) {
        throw new ManifestDamagedError(path, index + 1);
      }
      entries.push(entry as ManifestEntry);
    }
    return new ManifestFile(path, entries, completeBytes, completeBytes < bytes.byteLength);
  }

  /** Whether the last line was cut short (ignored, and cut away at the next append). */
  get cutTail(): boolean {
    return this.#cutTail;
  }

  /**
   * Appends entries, each on its own line. A last line cut short is cut away
   * first, so a new line is never written onto a broken one. Appends run one
   * at a time in the order they are asked for: each writes at the end the
   * previous one left, so lines of concurrent callers never overlap.
   *
   * @param entries the entries to append
   */
  append(entries: readonly ManifestEntry[]): Promise<void> {
    return this.#appends.run(() => this.#appendNow(entries));
  }

  async #appendNow(entries: readonly ManifestEntry[]): Promise<void> {
    const file = await Deno.open(this.path, { write: true, create: true });
    try {
      if ((await file.stat()).size > this.#completeBytes) await file.truncate(this.#completeBytes);
      await file.seek(this.#completeBytes, Deno.SeekMode.Start);
      const bytes = new TextEncoder().encode(
        entries.map((entry) => JSON.stringify(entry) + "\n").join(""),
      );
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      this.#completeBytes += bytes.length;
      this.#cutTail = false;
      this.entries.push(...entries);
    } finally {
      file.close();
    }
  }
}

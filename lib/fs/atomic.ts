/**
 * Writes that a crash cannot leave half done.
 *
 * A file is written to a temporary name beside it and renamed into place. A
 * folder is replaced by exchanging it with its new version in one system call
 * (`renameat2` with `RENAME_EXCHANGE`, Linux), so the folder exists with a
 * complete set of files at every instant; where that call is not available the
 * old folder is renamed aside first, and {@linkcode recoverFolder} puts things
 * right at the next start.
 *
 * @module
 */

/** Suffix of the temporary files {@linkcode writeFileAtomic} writes. */
export const TEMP_FILE_SUFFIX = ".tmp";

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder,
 * then a rename, so readers see either the old file or the whole new one.
 *
 * @param path destination file
 * @param bytes content
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.json`, new TextEncoder().encode("{}"));
 * assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["a.json"]);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}${TEMP_FILE_SUFFIX}`;
  try {
    await Deno.writeFile(temporary, bytes);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * True for a name {@linkcode writeFileAtomic} gives its temporary files.
 *
 * @param name a file name
 * @returns whether it is a leftover temporary file
 *
 * @example
 * ```ts
 * import { isTemporaryFileName } from "./atomic.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isTemporaryFileName("offset-000000.json.1a2b3c4d.tmp"), true);
 * assert.equal(isTemporaryFileName("offset-000000.json"), false);
 * ```
 */
export function isTemporaryFileName(name: string): boolean {
  return /\.[0-9a-f]{8}\.tmp$/.test(name);
}

type Exchange = (a: string, b: string) => boolean;

let exchangeImplementation: Exchange | null | undefined;

function nativeExchange(): Exchange | null {
  if (exchangeImplementation !== undefined) return exchangeImplementation;
  exchangeImplementation = null;
  if (Deno.build.os !== "linux") return null;
  try {
    const libc = Deno.dlopen("libc.so.6", {
      renameat2: { parameters: ["i32", "buffer", "i32", "buffer", "u32"], result: "i32" },
    });
    const AT_FDCWD = -100;
    const RENAME_EXCHANGE = 2;
    const encoder = new TextEncoder();
    exchangeImplementation = (a, b) =>
      libc.symbols.renameat2(
        AT_FDCWD,
        encoder.encode(`${a}\0`),
        AT_FDCWD,
        encoder.encode(`${b}\0`),
        RENAME_EXCHANGE,
      ) === 0;
  } catch {
    // No FFI permission, or no glibc: the rename fallback is used.
  }
  return exchangeImplementation;
}

/** Options of {@linkcode replaceFolder}. */
export interface ReplaceFolderOptions {
  /** Where the old folder goes in the fallback, until it is removed. */
  readonly asideName: string;
  /** Use the two-rename fallback even where the atomic exchange exists (tests). */
  readonly withoutExchange?: boolean;
}

/**
 * Puts the complete folder `next` at `target`, replacing what was there, then
 * removes the old folder. With the atomic exchange `target` is never missing;
 * in the fallback the old folder is renamed to `asideName` first, and a crash
 * between the two renames is repaired by {@linkcode recoverFolder}.
 *
 * @param next the new folder, complete
 * @param target where it belongs
 * @param options name for the old folder in the fallback
 *
 * @example
 * ```ts
 * import { replaceFolder } from "./atomic.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/out`);
 * await Deno.writeTextFile(`${dir}/out/v`, "1");
 * await Deno.mkdir(`${dir}/next`);
 * await Deno.writeTextFile(`${dir}/next/v`, "2");
 * await replaceFolder(`${dir}/next`, `${dir}/out`, { asideName: `${dir}/old` });
 * assert.equal(await Deno.readTextFile(`${dir}/out/v`), "2");
 * assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["out"]);
 * ```
 */
export async function replaceFolder(
  next: string,
  target: string,
  options: ReplaceFolderOptions,
): Promise<void> {
  if (!(await exists(target))) {
    await Deno.rename(next, target);
    return;
  }
  const exchange = options.withoutExchange ? null : nativeExchange();
  if (exchange && exchange(next, target)) {
    // `next` now holds the old folder.
    await Deno.remove(next, { recursive: true });
    return;
  }
  await Deno.rename(target, options.asideName);
  await Deno.rename(next, target);
  await Deno.remove(options.asideName, { recursive: true });
}

/**
 * After a crash, makes sure `target` exists if any complete copy of it does:
 * when `target` is missing, the newest complete candidate (a folder that
 * `isComplete` accepts) is renamed into place. Candidates left over are not
 * touched; the caller removes them.
 *
 * @param target the folder that must exist
 * @param candidates folders that may hold a complete copy, newest first
 * @param isComplete whether a folder holds a complete set
 * @returns the candidate that was put in place, if any
 *
 * @example
 * ```ts
 * import { recoverFolder } from "./atomic.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/old`);
 * const restored = await recoverFolder(`${dir}/out`, [`${dir}/old`], () => Promise.resolve(true));
 * assert.equal(restored, `${dir}/old`);
 * assert.ok((await Deno.stat(`${dir}/out`)).isDirectory);
 * ```
 */
export async function recoverFolder(
  target: string,
  candidates: readonly string[],
  isComplete: (folder: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (await exists(target)) return undefined;
  for (const candidate of candidates) {
    if (await isComplete(candidate)) {
      await Deno.rename(candidate, target);
      return candidate;
    }
  }
  return undefined;
}

/**
 * Whether a path exists (without following a final symlink's absence).
 *
 * @param path the path
 * @returns true if something is there
 *
 * @example
 * ```ts
 * import { exists } from "./atomic.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await exists("/no/such/path"), false);
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

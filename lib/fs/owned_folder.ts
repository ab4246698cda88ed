/**
 * Folders the tool may replace the contents of, and the checks that keep it
 * out of everything else.
 *
 * An output folder is the tool's own when it does not exist yet, is empty, or
 * holds the tool's marker file and nothing the tool did not write. Anything
 * else — the current directory, a parent of the input, the input itself, a
 * file, a folder with other files — is refused with a {@linkcode UsageError}
 * before anything is written.
 *
 * @module
 */

import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.ts";

/** The file that marks a folder as the tool's own. */
export const OWNER_MARKER = "_lp_history.json";

/** What an owned folder holds: `tables` output or a `demo` run. */
export type OwnedFolderKind = "tables" | "demo";

/** What a marker file says. */
interface Marker {
  readonly tool: "lp-history";
  readonly kind: OwnedFolderKind;
}

/** Options of {@linkcode checkOutputFolder}. */
export interface CheckOutputOptions {
  /** The option that named the folder, for messages (`--out`). */
  readonly option: string;
  /** What the folder is for. */
  readonly kind: OwnedFolderKind;
  /** Whether an entry of the folder is one the tool writes (besides the marker). */
  readonly isOwnEntry: (name: string) => boolean;
  /** Folders the output must neither be, nor hold, nor lie inside (e.g. `--in`), by option name. */
  readonly keepApart?: Readonly<Record<string, string>>;
  /** Accept a folder without the marker when every entry is the tool's (an earlier layout). */
  readonly ownWithoutMarker?: boolean;
}

/** What {@linkcode checkOutputFolder} found. */
export interface OutputFolderState {
  /** Absolute path. */
  readonly path: string;
  /** Whether the folder exists already. */
  readonly exists: boolean;
}

/**
 * The absolute path of `path` with symlinks resolved as far as the path exists,
 * so that two names for one folder compare equal.
 *
 * @param path a path that may not exist yet
 * @returns the real absolute path
 *
 * @example
 * ```ts
 * import { realPath } from "./owned_folder.ts";
 * import assert from "node:assert/strict";
 * assert.equal(realPath("/no/such/dir/x"), "/no/such/dir/x");
 * ```
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return Deno.realPathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : resolve(realPath(parent), basename(absolute));
  }
}

function isInside(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

function readMarker(folder: string): Marker | undefined {
  try {
    const marker = JSON.parse(Deno.readTextFileSync(`${folder}/${OWNER_MARKER}`)) as Marker;
    return marker.tool === "lp-history" ? marker : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks that an output folder is one the tool may write into and replace
 * parts of; touches nothing.
 *
 * @param path the folder the user named
 * @param options option name, folder kind, which entries are the tool's, folders to keep apart
 * @returns the folder's absolute path and whether it exists
 * @throws {UsageError} naming the folder, the reason and the fix
 *
 * @example
 * ```ts
 * import { checkOutputFolder } from "./owned_folder.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/notes.txt`, "mine");
 * const options = { option: "--out", kind: "tables" as const, isOwnEntry: () => false };
 * assert.throws(() => checkOutputFolder(dir, options), /notes\.txt/);
 * assert.equal(checkOutputFolder(`${dir}/new`, options).exists, false);
 * ```
 */
export function checkOutputFolder(path: string, options: CheckOutputOptions): OutputFolderState {
  const absolute = realPath(path);
  for (const [option, other] of Object.entries(options.keepApart ?? {})) {
    const otherPath = realPath(other);
    if (isInside(otherPath, absolute)) {
      throw new UsageError(
        `${options.option} ${path} ${
          otherPath === absolute ? "is" : "contains"
        } ${option} ${other}: the tool replaces what it writes there, so choose a folder ` +
          `of its own for ${options.option}, e.g. data/tables`,
      );
    }
    if (isInside(absolute, otherPath)) {
      throw new UsageError(
        `${options.option} ${path} lies inside ${option} ${other}: choose a folder outside it`,
      );
    }
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(absolute);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { path: absolute, exists: false };
    throw new UsageError(`Cannot use ${options.option} ${path}: ${(error as Error).message}`);
  }
  if (!info.isDirectory) {
    throw new UsageError(
      `${options.option} ${path} is a file, not a folder: name a new folder instead`,
    );
  }
  const entries = [...Deno.readDirSync(absolute)].map((entry) => entry.name).sort();
  if (entries.length === 0) return { path: absolute, exists: true };
  const marker = readMarker(absolute);
  if (marker === undefined && options.ownWithoutMarker && entries.every(options.isOwnEntry)) {
    return { path: absolute, exists: true };
  }
  if (marker === undefined) {
    throw new UsageError(
      `${options.option} ${path} already holds files lp-history did not write ` +
        `(${
          describeEntries(entries)
        }): name a new or empty folder, so nothing of yours is replaced`,
    );
  }
  if (marker.kind !== options.kind) {
    throw new UsageError(
      `${options.option} ${path} is an lp-history ${marker.kind} folder, not a ${options.kind} ` +
        `folder: name another folder`,
    );
  }
  const foreign = entries.filter((name) => name !== OWNER_MARKER && !options.isOwnEntry(name));
  if (foreign.length > 0) {
    throw new UsageError(
      `${options.option} ${path} holds ${describeEntries(foreign)}, which lp-history did not ` +
        `write: move ${foreign.length === 1 ? "it" : "them"} elsewhere or name another folder`,
    );
  }
  return { path: absolute, exists: true };
}

function describeEntries(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => `"${name}"`).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Creates a checked output folder if needed and writes the tool's marker into it.
 *
 * @param path the folder ({@linkcode checkOutputFolder} accepted it)
 * @param kind what the folder is for
 *
 * @example
 * ```ts
 * import { claimFolder, OWNER_MARKER } from "./owned_folder.ts";
 * import assert from "node:assert/strict";
 * const dir = `${await Deno.makeTempDir()}/out`;
 * await claimFolder(dir, "tables");
 * assert.ok((await Deno.stat(`${dir}/${OWNER_MARKER}`)).isFile);
 * ```
 */
export async function claimFolder(path: string, kind: OwnedFolderKind): Promise<void> {
  await Deno.mkdir(path, { recursive: true });
  if (readMarker(path)?.kind === kind) return;
  const marker: Marker & { readonly note: string } = {
    tool: "lp-history",
    kind,
    note: `Written by lp-history: it replaces what it wrote in this folder on every run, ` +
      `and refuses to touch files it did not write.`,
  };
  await Deno.writeTextFile(`${path}/${OWNER_MARKER}`, JSON.stringify(marker, null, 2) + "\n");
}

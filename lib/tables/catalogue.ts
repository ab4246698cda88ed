/**
 * Catalogue files: a source's tables written as JSON data, one column per
 * line, and read into the schema language of schema.ts.
 *
 * A catalogue column names its path below the row object (`at`), its type
 * and its meaning. Two types stand for a LivePerson time format and expand
 * accordingly: `lpTime`, a string time written as ISO-8601 UTC, and
 * `epochMs`, epoch milliseconds kept as sent plus an ISO-8601 twin
 * `<name>_iso`. `noValue: true` marks text LivePerson fills in itself, whose
 * "no value" texts become null (text people typed is never read as absent).
 *
 * @module
 */

import {
  COLUMN_TYPES,
  type ColumnType,
  defineSchema,
  type FieldColumn,
  type ListTableSpec,
  type SourceSchema,
} from "./schema.ts";

/** The column types of a catalogue: storage types plus the two LivePerson time formats. */
export type CatalogueType = ColumnType | "lpTime" | "epochMs";

/** One column as a catalogue file writes it. */
export interface CatalogueColumn {
  /** Dotted path below the row object; `""` for the item itself. */
  readonly at: string;
  /** Column name; default the path with `.` → `_` (and `$event.` → `event_`). */
  readonly name?: string;
  /** One of {@linkcode CatalogueType}; checked when the catalogue is read. */
  readonly type: string;
  /** One-line meaning. */
  readonly description: string;
  /** Unit of a duration or amount (`seconds`). */
  readonly unit?: string;
  /** Other paths that fill the column when `at` is absent (spellings seen in the docs). */
  readonly aliases?: readonly string[];
  /** LivePerson's "no value" texts in this column become null. */
  readonly noValue?: boolean;
}

/** One list table as a catalogue file writes it. */
export interface CatalogueList {
  readonly name: string;
  readonly description: string;
  /** The table whose row object holds the list. */
  readonly parent: string;
  /** Dotted path of the list below the parent's row object. */
  readonly list: string;
  /** Other paths of the same list seen in the docs; their items are read after `list`'s. */
  readonly listAliases?: readonly string[];
  /** Name this table's `position` takes in its child tables; default `<name>Position`. */
  readonly positionAs?: string;
  readonly columns: readonly CatalogueColumn[];
}

/** A source's catalogue file. */
export interface Catalogue {
  readonly source: string;
  readonly title: string;
  /** What one record is (`engagement`, `conversation`). */
  readonly recordNoun: string;
  /** The source's choices, for the data dictionary: Markdown, one line per item. */
  readonly notes?: readonly string[];
  readonly key: {
    readonly id: string;
    readonly idDescription: string;
    readonly start: string;
    readonly startDescription: string;
  };
  readonly base: {
    readonly name: string;
    readonly description: string;
    readonly columns: readonly CatalogueColumn[];
  };
  readonly lists: readonly CatalogueList[];
}

/** What a source adds when it reads its catalogue. */
export interface CatalogueOptions {
  /** LivePerson's "no value" texts, for `noValue` and `lpTime` columns. */
  readonly noValueTexts: readonly string[];
  /** Tables written in code (shared lists with row selectors), after the catalogue's. */
  readonly lists?: readonly ListTableSpec[];
}

const TYPES: readonly CatalogueType[] = [...COLUMN_TYPES, "lpTime", "epochMs"];
const COLUMN_KEYS = new Set(["at", "name", "type", "description", "unit", "aliases", "noValue"]);

function defaultName(at: string): string {
  return at.replace(/^\$/, "").replaceAll(".", "_");
}

/**
 * Checks one catalogue column and gives its columns in the schema language:
 * one, or two for `epochMs`.
 *
 * @param column the column as written in the file (not yet trusted)
 * @param where table and position, for the message
 * @param noValueTexts LivePerson's "no value" texts
 * @returns the schema's columns
 * @throws {RangeError} naming the column and what is wrong with it
 *
 * @example
 * ```ts
 * import { catalogueColumns } from "./catalogue.ts";
 * import assert from "node:assert/strict";
 * const [raw, iso] = catalogueColumns(
 *   { at: "timeL", type: "epochMs", description: "When" }, "lines", ["NA"],
 * );
 * assert.deepEqual([raw!.name, raw!.nullWhen, iso!.name], ["timeL", ["-1"], "timeL_iso"]);
 * assert.throws(
 *   () => catalogueColumns({ at: "x", type: "int", description: "X" }, "lines", []),
 *   /lines column "x": type "int"/,
 * );
 * ```
 */
export function catalogueColumns(
  column: CatalogueColumn,
  where: string,
  noValueTexts: readonly string[],
): FieldColumn[] {
  const checked = checkColumn(column, where);
  const { at, description } = checked;
  const type = checked.type as CatalogueType;
  const name = checked.name ?? defaultName(at);
  const common = {
    name,
    description,
    at,
    ...(checked.aliases ? { aliasesAt: checked.aliases } : {}),
    ...(checked.unit ? { unit: checked.unit } : {}),
  };
  if (type === "lpTime") {
    // The empty string is no time either.
    const nullWhen = [...noValueTexts, ""];
    return [{ ...common, type: "timestamp", role: "field", nullWhen, normalise: "lpTime" }];
  }
  if (type === "epochMs") {
    return [
      {
        ...common,
        type: "integer",
        role: "field",
        description: `${description} (epoch ms)`,
        nullWhen: ["-1"],
      },
      {
        name: `${name}_iso`,
        type: "timestamp",
        role: "derived",
        description: `${description} (UTC)`,
        at: "",
        derive: { from: name, how: "epochMsToIso" },
      },
    ];
  }
  return [{
    ...common,
    type,
    role: "field",
    ...(checked.noValue ? { nullWhen: noValueTexts } : {}),
  }];
}

/** A catalogue is data: its columns are checked as they are read, with messages that point. */
function checkColumn(column: CatalogueColumn, where: string): CatalogueColumn {
  const fields = (column ?? {}) as unknown as Record<string, unknown>;
  const label = `${where} column "${typeof fields.name === "string" ? fields.name : fields.at}"`;
  const problem = (text: string) => new RangeError(`Catalogue ${label}: ${text}`);
  if (typeof column !== "object" || column === null) throw problem("not an object");
  for (const key of Object.keys(fields)) {
    if (!COLUMN_KEYS.has(key)) throw problem(`unknown key "${key}"`);
  }
  if (typeof fields.at !== "string") throw problem(`"at" must be a path text`);
  if (!TYPES.includes(fields.type as CatalogueType)) {
    throw problem(`type "${fields.type}" is none of ${TYPES.join(", ")}`);
  }
  if (typeof fields.description !== "string" || fields.description === "") {
    throw problem("it needs a description");
  }
  if (fields.aliases !== undefined && !Array.isArray(fields.aliases)) {
    throw problem(`"aliases" must be a list of paths`);
  }
  return column;
}

/**
 * Reads a source's catalogue into its schema.
 *
 * @param catalogue the catalogue, as parsed from its JSON file
 * @param options the "no value" texts and the tables written in code
 * @returns the schema
 * @throws {RangeError} for a column that is not well formed, or a table whose parent comes later
 *
 * @example
 * ```ts
 * import { schemaFromCatalogue } from "./catalogue.ts";
 * import assert from "node:assert/strict";
 * const schema = schemaFromCatalogue({
 *   source: "demo", title: "Demo", recordNoun: "record",
 *   key: { id: "id", idDescription: "Record id", start: "start", startDescription: "Start" },
 *   base: {
 *     name: "records", description: "One row per record",
 *     columns: [
 *       { at: "info.id", name: "id", type: "string", description: "Id" },
 *       { at: "info.start", name: "start", type: "lpTime", description: "Start" },
 *     ],
 *   },
 *   lists: [{ name: "items", description: "One row per item", parent: "records", list: "items", columns: [] }],
 * }, { noValueTexts: ["NA"] });
 * assert.deepEqual(schema.tables.map((table) => table.name), ["records", "items"]);
 * assert.deepEqual(schema.tables[0]!.columns[1]!.nullWhen, ["NA", ""]);
 * ```
 */
export function schemaFromCatalogue(
  catalogue: Catalogue,
  options: CatalogueOptions,
): SourceSchema {
  const columnsOf = (table: string, columns: readonly CatalogueColumn[]) =>
    columns.flatMap((column) => catalogueColumns(column, table, options.noValueTexts));
  return defineSchema({
    source: catalogue.source,
    title: catalogue.title,
    recordNoun: catalogue.recordNoun,
    ...(catalogue.notes ? { notes: catalogue.notes.join("\n") } : {}),
    key: catalogue.key,
    base: {
      name: catalogue.base.name,
      description: catalogue.base.description,
      columns: columnsOf(catalogue.base.name, catalogue.base.columns),
    },
    lists: [
      ...catalogue.lists.map((list): ListTableSpec => ({
        name: list.name,
        description: list.description,
        parent: list.parent,
        list: list.list,
        columns: columnsOf(list.name, list.columns),
        ...(list.listAliases ? { listAliases: list.listAliases } : {}),
        ...(list.positionAs ? { positionAs: list.positionAs } : {}),
      })),
      ...options.lists ?? [],
    ],
  });
}

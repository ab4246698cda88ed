/**
 * The schema language: how a source describes its tables, as data.
 *
 * A source declares its record key — the id column and the start-time column
 * of its base table — and its tables: one base table with a row per record,
 * and list tables with a row per item of a list below their parent's row
 * object, at any depth. {@linkcode defineSchema} completes each table: the
 * record's id and start time are copied into every table (the way dlt
 * propagates a root key), each list table gets its `position` in its list and
 * the positions of its ancestor lists, and every table ends with `extra`,
 * where fields the schema does not know are kept.
 *
 * Several tables may share one list, each taking the items its `select`
 * recognises (the SDE events, one table per event type); a table without
 * `select` on a shared list takes the rest. How such items are unwrapped is
 * the source's business, written in its `select` functions.
 *
 * @module
 */

/** Type of a column: what Parquet stores and what a reader should read it as. */
export type ColumnType = "string" | "integer" | "float" | "boolean" | "timestamp" | "json";

/** Every column type, in the order the docs list them. */
export const COLUMN_TYPES: readonly ColumnType[] = Object.freeze([
  "string",
  "integer",
  "float",
  "boolean",
  "timestamp",
  "json",
]);

/**
 * Where a column's value comes from: `key` the record's id or start time,
 * copied into every table; `position` an index in a list; `field` a field of
 * the row's object; `derived` computed from another column of the row;
 * `extra` fields the schema does not know.
 */
export type ColumnRole = "key" | "position" | "field" | "derived" | "extra";

/** One column of a table. */
export interface Column {
  /** Column name: the API's field name, node-prefixed for flattened one-to-one nodes. */
  readonly name: string;
  /** Storage type; ids are always `string`. */
  readonly type: ColumnType;
  readonly role: ColumnRole;
  /** One-line meaning. */
  readonly description: string;
  /** Where the value comes from, for the data dictionary (`transcript.lines[].text`). */
  readonly source: string;
  /** Unit of a duration or amount, for the data dictionary (`seconds`, `milliseconds`). */
  readonly unit?: string;
  /**
   * Path below the row's object (`[]` is the item itself): of the field, or, for
   * a derived column without `derive`, of the value a source's `select` put there.
   */
  readonly path?: readonly string[];
  /** Other paths that fill the column when `path` is absent (spellings seen in the docs). */
  readonly aliases?: readonly (readonly string[])[];
  /** Texts that mean "no value": such a value becomes null. */
  readonly nullWhen?: readonly string[];
  /** `lpTime`: a LivePerson string time, written as ISO-8601 UTC. */
  readonly normalise?: "lpTime";
  /** For `derived` columns: which column, and how. */
  readonly derive?: { readonly from: string; readonly how: "epochMsToIso" };
}

/** A field column as a catalogue declares it (its path relative to the row object). */
export type FieldColumn = Omit<Column, "role" | "source" | "path" | "aliases"> & {
  readonly role: "field" | "derived";
  /** Dotted path below the row object; `""` for the item itself. */
  readonly at: string;
  readonly aliasesAt?: readonly string[];
  /** Where the value comes from, when its path does not say it. */
  readonly source?: string;
};

/** Picks the items of a shared list that belong to a table, as the row object to read. */
export type RowSelector = (item: unknown) => unknown;

/** Where a table's rows come from. */
export type Rows =
  | { readonly kind: "record" }
  | {
    readonly kind: "list";
    /** The table whose row object holds the list. */
    readonly parent: string;
    /** Path of the list below the parent's row object. */
    readonly path: readonly string[];
    /** Other paths of the same list (spellings seen in the docs); their items follow `path`'s. */
    readonly aliases?: readonly (readonly string[])[];
    /** For a shared list: the row object of an item that belongs here, else undefined. */
    readonly select?: RowSelector;
  };

/** One table, complete. */
export interface Table {
  /** snake_case name; also the file name (`interaction.csv`). */
  readonly name: string;
  /** What one row is. */
  readonly description: string;
  readonly rows: Rows;
  /** Path of one row in the record, for the data dictionary and unknown-field paths. */
  readonly rowPath: string;
  /** Columns in file order. */
  readonly columns: readonly Column[];
  /** Columns that identify a row. */
  readonly primaryKey: readonly string[];
  /** The parent table and the columns that join to it; none for the base table. */
  readonly parent?: {
    readonly table: string;
    readonly columns: readonly string[];
    readonly references: readonly string[];
  };
  /** Name this table's `position` takes in its child tables. */
  readonly positionAs?: string;
  /**
   * Row-object keys whose fields lie elsewhere in the record, with their path
   * there (`$event` → `sdes.events[]`), for unknown-field paths.
   */
  readonly displayPrefixes?: Readonly<Record<string, string>>;
  /** Takes the items of its list no other table selects; their keys count as unknown. */
  readonly catchAll?: boolean;
}

/** A source's tables, parents before children. */
export interface SourceSchema {
  /** The source's name (`engagement-history`); also its tables' folder. */
  readonly source: string;
  /** For people (`Engagement History (chat)`). */
  readonly title: string;
  /** What one record is, for messages (`engagement`, `conversation`). */
  readonly recordNoun: string;
  /** The record key: names of the base table's id and start-time columns. */
  readonly key: { readonly id: string; readonly start: string };
  readonly tables: readonly Table[];
  /** The source's choices, for the data dictionary (Markdown). */
  readonly notes?: string;
}

/** Name of the column that holds unknown fields in every table. */
export const EXTRA_COLUMN = "extra";

/** A base table as a catalogue declares it. */
export interface BaseTableSpec {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly FieldColumn[];
}

/** A list table as a catalogue declares it. */
export interface ListTableSpec {
  readonly name: string;
  readonly description: string;
  /** The table whose row object holds the list. */
  readonly parent: string;
  /** Dotted path of the list below the parent's row object. */
  readonly list: string;
  /** Other dotted paths of the same list, e.g. a misspelling in the docs. */
  readonly listAliases?: readonly string[];
  readonly columns: readonly FieldColumn[];
  /** For a shared list: picks this table's items and unwraps them. */
  readonly select?: RowSelector;
  /** The row path shown in the data dictionary when it differs from the list's path. */
  readonly rowPath?: string;
  /** Name this table's `position` takes in its child tables; default `<name>Position`. */
  readonly positionAs?: string;
  readonly displayPrefixes?: Readonly<Record<string, string>>;
  readonly catchAll?: boolean;
}

/** What {@linkcode defineSchema} takes. */
export interface SchemaSpec {
  readonly source: string;
  readonly title: string;
  readonly recordNoun: string;
  /** The source's choices, for the data dictionary (Markdown). */
  readonly notes?: string;
  /** Names of the base table's id and start-time columns, and what they mean in every table. */
  readonly key: {
    readonly id: string;
    readonly idDescription: string;
    readonly start: string;
    readonly startDescription: string;
  };
  readonly base: BaseTableSpec;
  readonly lists: readonly ListTableSpec[];
}

const EXTRA: Column = {
  name: EXTRA_COLUMN,
  type: "json",
  role: "extra",
  source: "fields of the row not in this schema",
  description:
    "Unknown fields and values that do not fit their column, as a JSON object keyed by path; null if none",
};

function splitPath(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

function sourceOf(rowPath: string, at: string, prefixes: Readonly<Record<string, string>>): string {
  if (at === "") return rowPath;
  const [first, ...rest] = at.split(".");
  const prefix = first === undefined ? undefined : prefixes[first];
  if (prefix !== undefined) return [prefix, ...rest].join(".");
  return rowPath === "" ? at : `${rowPath}.${at}`;
}

function completeField(
  field: FieldColumn,
  rowPath: string,
  prefixes: Readonly<Record<string, string>>,
): Column {
  const { at, aliasesAt, ...rest } = field;
  if (rest.derive) return { ...rest, source: `${rest.derive.from} as ISO-8601 UTC` };
  return {
    ...rest,
    source: rest.source ??
      [at, ...(aliasesAt ?? [])].map((path) => sourceOf(rowPath, path, prefixes)).join(" | "),
    path: splitPath(at),
    ...(aliasesAt ? { aliases: aliasesAt.map(splitPath) } : {}),
  };
}

/**
 * Completes a catalogue: copies the record key into every table, adds
 * position columns at every depth and the `extra` column, and links each
 * list table to its parent.
 *
 * @param spec the source, its key, its base table and its list tables (parents first)
 * @returns the schema
 * @throws {RangeError} for a parent that is not defined earlier, or a key column the base lacks
 *
 * @example
 * ```ts
 * import { defineSchema } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const schema = defineSchema({
 *   source: "demo", title: "Demo", recordNoun: "record",
 *   key: { id: "id", idDescription: "Record id", start: "start", startDescription: "Start" },
 *   base: {
 *     name: "records", description: "One row per record",
 *     columns: [
 *       { at: "info.id", name: "id", type: "string", role: "field", description: "Id" },
 *       { at: "info.start", name: "start", type: "timestamp", role: "field", description: "Start" },
 *     ],
 *   },
 *   lists: [
 *     { name: "items", description: "One row per item", parent: "records", list: "items", columns: [] },
 *     { name: "parts", description: "One row per part", parent: "items", list: "parts", columns: [] },
 *   ],
 * });
 * const parts = schema.tables[2]!;
 * assert.deepEqual(parts.primaryKey, ["id", "itemsPosition", "position"]);
 * assert.deepEqual(parts.parent, {
 *   table: "items", columns: ["id", "itemsPosition"], references: ["id", "position"],
 * });
 * ```
 */
export function defineSchema(spec: SchemaSpec): SourceSchema {
  const baseColumns = spec.base.columns.map((column) => completeField(column, "", {}));
  const idColumn = baseColumns.find((column) => column.name === spec.key.id);
  const startColumn = baseColumns.find((column) => column.name === spec.key.start);
  if (!idColumn || !startColumn) {
    throw new RangeError(`The base table of ${spec.source} lacks its key column`);
  }
  const base: Table = {
    name: spec.base.name,
    description: spec.base.description,
    rows: { kind: "record" },
    rowPath: "",
    columns: [...baseColumns, EXTRA],
    primaryKey: [spec.key.id],
  };
  const keyColumns: Column[] = [
    {
      name: spec.key.id,
      type: "string",
      role: "key",
      source: idColumn.source,
      description: spec.key.idDescription,
    },
    {
      name: spec.key.start,
      type: startColumn.type,
      role: "key",
      source: startColumn.source,
      description: spec.key.startDescription,
    },
  ];
  const tables = new Map<string, Table>([[base.name, base]]);
  /** Position columns a table passes to its children, in key order. */
  const inherited = new Map<string, Column[]>([[base.name, []]]);
  for (const list of spec.lists) {
    const parent = tables.get(list.parent);
    const parentPositions = inherited.get(list.parent);
    if (!parent || !parentPositions) {
      throw new RangeError(
        `Table ${list.name} names a parent ${list.parent} not defined before it`,
      );
    }
    const listPath = splitPath(list.list);
    const rowPath = list.rowPath ??
      `${parent.rowPath === "" ? "" : `${parent.rowPath}.`}${list.list}[]`;
    const own: Column = {
      name: "position",
      type: "integer",
      role: "position",
      source: "index in the list, from 0",
      description: `Index in ${list.select ? "the shared list " : ""}${
        parent.rowPath === "" ? list.list : `${parent.rowPath}.${list.list}`
      }, from 0`,
    };
    const positionAs = list.positionAs ?? `${list.name}Position`;
    const table: Table = {
      name: list.name,
      description: list.description,
      rows: {
        kind: "list",
        parent: list.parent,
        path: listPath,
        ...(list.listAliases ? { aliases: list.listAliases.map(splitPath) } : {}),
        ...(list.select ? { select: list.select } : {}),
      },
      rowPath,
      columns: [
        ...keyColumns,
        ...parentPositions,
        own,
        ...list.columns.map((column) => completeField(column, rowPath, list.displayPrefixes ?? {})),
        EXTRA,
      ],
      primaryKey: [spec.key.id, ...parentPositions.map((column) => column.name), "position"],
      parent: {
        table: parent.name,
        columns: [spec.key.id, ...parentPositions.map((column) => column.name)],
        references: [...parent.primaryKey],
      },
      positionAs,
      ...(list.displayPrefixes ? { displayPrefixes: list.displayPrefixes } : {}),
      ...(list.catchAll ? { catchAll: true } : {}),
    };
    tables.set(table.name, table);
    inherited.set(table.name, [
      ...parentPositions,
      {
        name: positionAs,
        type: "integer",
        role: "position",
        source: `${table.name}.position`,
        description: `Index of the ${table.name} row; joins to ${table.name}.position`,
      },
    ]);
  }
  return {
    source: spec.source,
    title: spec.title,
    recordNoun: spec.recordNoun,
    key: { id: spec.key.id, start: spec.key.start },
    tables: [...tables.values()],
    ...(spec.notes ? { notes: spec.notes } : {}),
  };
}

/**
 * Finds a table of a schema by name.
 *
 * @param schema the schema
 * @param name the table's name
 * @returns the table
 * @throws {RangeError} for an unknown name
 *
 * @example
 * ```ts
 * import { tableByName } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const schema = { tables: [{ name: "a" }] } as never;
 * assert.equal(tableByName(schema, "a").name, "a");
 * assert.throws(() => tableByName(schema, "b"), /No table named "b"/);
 * ```
 */
export function tableByName(schema: SourceSchema, name: string): Table {
  const table = schema.tables.find((candidate) => candidate.name === name);
  if (!table) throw new RangeError(`No table named "${name}" in the ${schema.source} schema`);
  return table;
}

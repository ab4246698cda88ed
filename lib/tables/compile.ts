/**
 * A schema compiled for flattening: for each table, what every key of its
 * row object means (a column, a nested one-to-one object, a list that child
 * tables read), and how each column's cell is made.
 *
 * @module
 */

import { type CellConverter, cellConverter } from "./cells.ts";
import type { Column, SourceSchema, Table } from "./schema.ts";

/** What one key of a row object means. */
export interface Step {
  /** The key fills this column (index in the table's columns). */
  readonly column?: number;
  /** The key's full path below the row object (for values kept in `extra`). */
  readonly path: readonly string[];
  /** The key holds a nested object read with this plan. */
  readonly object?: ObjectPlan;
  /** The key holds a list that child tables read (so it is not unknown). */
  readonly owned?: boolean;
}

/** How to read one object: its keys. */
export interface ObjectPlan {
  readonly steps: Map<string, Step>;
}

/** A table prepared for flattening. */
export interface CompiledTable {
  /** The table as the schema describes it. */
  readonly table: Table;
  /** Number of columns, the extra column included. */
  readonly width: number;
  /** Which cell each field of the row object fills, and which lists it holds. */
  readonly root: ObjectPlan;
  /** The column filled by the item itself (a list of scalars), or -1. */
  readonly selfColumn: number;
  /** Columns of the record's id and start time (key role), or -1 in the base table. */
  readonly keyIdColumn: number;
  readonly keyStartColumn: number;
  /** Position columns, outermost list first; the last is the table's own position. */
  readonly positionColumns: readonly number[];
  readonly extraColumn: number;
  /** Field columns, to turn values into cells. */
  readonly fields: readonly number[];
  /** Per column, how a field column's value becomes its cell (undefined for other columns). */
  readonly converters: readonly (CellConverter | undefined)[];
  /** Derived columns and the column they come from. */
  readonly derived: readonly { readonly column: number; readonly from: number }[];
  /** Lists below this table's row object. */
  readonly lists: readonly ListGroup[];
}

/** Tables that read the items of one list. */
export interface ListGroup {
  /** Paths of the list below the parent's row object: its own, then its aliases. */
  readonly paths: readonly (readonly string[])[];
  /** Tables with a `select`, in schema order, then the table that takes the rest. */
  readonly members: readonly CompiledTable[];
}

/** A schema prepared for flattening; build it once with {@linkcode compileSchema}. */
export interface CompiledSchema {
  readonly schema: SourceSchema;
  readonly base: CompiledTable;
  /** Columns of the base table that hold the record's id and start time. */
  readonly baseIdColumn: number;
  readonly baseStartColumn: number;
}

function planAt(root: ObjectPlan, path: readonly string[]): ObjectPlan {
  let plan = root;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!;
    const step = plan.steps.get(key);
    if (step?.object) {
      plan = step.object;
      continue;
    }
    const object: ObjectPlan = { steps: new Map() };
    plan.steps.set(key, { ...step, path: path.slice(0, depth + 1), object });
    plan = object;
  }
  return plan;
}

function addPath(root: ObjectPlan, path: readonly string[], step: Omit<Step, "path">): void {
  if (path.length === 0) return;
  const plan = planAt(root, path.slice(0, -1));
  const key = path.at(-1)!;
  const known = plan.steps.get(key);
  plan.steps.set(key, { ...known, ...step, path });
}

function indexOf(columns: readonly Column[], predicate: (column: Column) => boolean): number {
  return columns.findIndex(predicate);
}

function compileTable(table: Table, keyNames: { id: string; start: string }): CompiledTable {
  const columns = table.columns;
  const root: ObjectPlan = { steps: new Map() };
  let selfColumn = -1;
  columns.forEach((column, index) => {
    if (column.path === undefined) return;
    if (column.path.length === 0) selfColumn = index;
    for (const path of [column.path, ...(column.aliases ?? [])]) {
      addPath(root, path, { column: index });
    }
  });
  const isBase = table.rows.kind === "record";
  return {
    table,
    width: columns.length,
    root,
    selfColumn,
    keyIdColumn: isBase ? -1 : indexOf(columns, (c) => c.role === "key" && c.name === keyNames.id),
    keyStartColumn: isBase
      ? -1
      : indexOf(columns, (c) => c.role === "key" && c.name === keyNames.start),
    positionColumns: columns.flatMap((column, index) => column.role === "position" ? [index] : []),
    extraColumn: indexOf(columns, (column) => column.role === "extra"),
    fields: columns.flatMap((column, index) => column.path !== undefined ? [index] : []),
    converters: columns.map((column) =>
      column.path !== undefined ? cellConverter(column) : undefined
    ),
    derived: columns.flatMap((column, index) =>
      column.role === "derived" && column.derive
        ? [{ column: index, from: indexOf(columns, (other) => other.name === column.derive?.from) }]
        : []
    ),
    lists: [],
  };
}

/**
 * Prepares a schema for {@linkcode flattenRecord}: one plan per table, the
 * lists each table's row object holds, and the base table's key columns.
 *
 * @param schema the source's schema
 * @returns the compiled schema
 * @throws {RangeError} for a schema whose key columns the base table lacks
 *
 * @example
 * ```ts
 * import { compileSchema } from "./compile.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const compiled = compileSchema(ENGAGEMENT_HISTORY_SCHEMA);
 * assert.equal(compiled.base.table.name, "interaction");
 * assert.ok(compiled.base.lists.some((list) => list.paths[0]!.join(".") === "sdes.events"));
 * ```
 */
export function compileSchema(schema: SourceSchema): CompiledSchema {
  const compiled = new Map<string, CompiledTable>();
  for (const table of schema.tables) compiled.set(table.name, compileTable(table, schema.key));
  const groups = new Map<
    string,
    { group: ListGroup; selecting: CompiledTable[]; rest: CompiledTable[] }
  >();
  for (const table of schema.tables) {
    if (table.rows.kind !== "list") continue;
    const parent = compiled.get(table.rows.parent)!;
    const id = `${table.rows.parent}\u001f${table.rows.path.join("\u001f")}`;
    let entry = groups.get(id);
    if (!entry) {
      const paths = [table.rows.path, ...table.rows.aliases ?? []];
      entry = { group: { paths, members: [] }, selecting: [], rest: [] };
      groups.set(id, entry);
      (parent.lists as ListGroup[]).push(entry.group);
      for (const path of paths) addPath(parent.root, path, { owned: true });
    }
    (table.rows.select ? entry.selecting : entry.rest).push(compiled.get(table.name)!);
  }
  // Tables that pick their items are asked first; one without `select` takes the rest.
  for (const { group, selecting, rest } of groups.values()) {
    (group as { members: readonly CompiledTable[] }).members = [...selecting, ...rest];
  }
  const base = compiled.get(schema.tables[0]!.name)!;
  const baseIdColumn = indexOf(base.table.columns, (column) => column.name === schema.key.id);
  const baseStartColumn = indexOf(base.table.columns, (column) => column.name === schema.key.start);
  if (baseIdColumn < 0 || baseStartColumn < 0) {
    throw new RangeError(`The base table of ${schema.source} lacks its key columns`);
  }
  return { schema, base, baseIdColumn, baseStartColumn };
}

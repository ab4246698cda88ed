/**
 * Turns one record into rows of its source's tables, driven by the compiled
 * schema ({@linkcode compileSchema}).
 *
 * Each table's row object is walked once: a key the plan knows fills a
 * column, opens a nested one-to-one object, or is a list child tables read;
 * anything else, and any value that does not fit its column's type, goes into
 * the row's `extra` JSON cell under its path in the record, and is counted —
 * nothing the server sent is lost. Lists are followed to any depth; each row
 * carries the record's id and start time and the positions of its lists.
 *
 * Cells are text (or null), exactly as the server sent them: numbers keep
 * their source text ({@linkcode parseJsonKeepingNumbers}), booleans are
 * `true`/`false`. The documented normalisations are: LivePerson string times
 * → ISO-8601 UTC, "no value" texts listed per column → null, and
 * `{"string": x}` wrappers → x.
 *
 * @module
 */

import type { CompiledSchema, CompiledTable, ListGroup, ObjectPlan } from "./compile.ts";
import { isJsonObject } from "./json_text.ts";
import type { Table } from "./schema.ts";
import { MISFIT } from "./cells.ts";
import { epochTextToIso } from "./times.ts";

export { scalarText } from "./cells.ts";

/** One row: a cell per column of its table, in column order; null is "no value". */
export type Row = (string | null)[];

/** Receives the rows a record yields. */
export type RowSink = (table: Table, row: Row) => void;

/** Counts the flattener keeps while it runs. */
export interface FlattenCounts {
  /** Unknown field paths (`info.newField`, `sdes.events[].purchase.coupon`) → occurrences. */
  readonly unknownFields: Map<string, number>;
  /** `table.column` → values that did not fit the column's type (kept in `extra`). */
  readonly typeMismatches: Map<string, number>;
}

/** Result of flattening one record. */
export interface FlattenResult {
  /** The record's id as text, or null if it has none (no rows were emitted). */
  readonly id: string | null;
  /** The record's start time as its cell holds it (ISO-8601 UTC), or null. */
  readonly start: string | null;
}

/** Where unknown fields of a row are shown: their path in the record. */
function displayPath(table: Table, parts: readonly string[]): string {
  if (parts.length === 0) return table.rowPath;
  const prefix = table.displayPrefixes?.[parts[0]!];
  if (prefix !== undefined) {
    return parts.length === 1 ? prefix : `${prefix}.${parts.slice(1).join(".")}`;
  }
  return table.rowPath === "" ? parts.join(".") : `${table.rowPath}.${parts.join(".")}`;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * An object without a prototype, so that a field named `__proto__` in the data
 * is kept as a field like any other instead of replacing the prototype.
 */
function plainRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/**
 * One row being read: raw values per column, where each came from, unknown
 * fields. One per table, reused row after row (a table is never its own
 * descendant, so a table's state is free again before its next row starts).
 */
class RowState {
  readonly values: unknown[];
  readonly origins: (readonly string[] | undefined)[];
  extra: Record<string, unknown> | undefined;
  counts: FlattenCounts;

  constructor(readonly plan: CompiledTable, counts: FlattenCounts) {
    this.values = new Array(plan.width).fill(undefined);
    this.origins = new Array(plan.width).fill(undefined);
    this.counts = counts;
  }

  /** Starts a row; {@linkcode RowState.finish} left every value cleared. */
  reset(counts: FlattenCounts): this {
    this.extra = undefined;
    this.counts = counts;
    return this;
  }

  unknown(parts: readonly string[], value: unknown): void {
    const path = displayPath(this.plan.table, parts);
    increment(this.counts.unknownFields, path);
    (this.extra ??= plainRecord())[path] = value;
  }

  walk(plan: ObjectPlan, object: Record<string, unknown>, prefix: readonly string[]): void {
    const steps = plan.steps;
    for (const key in object) {
      const value = object[key];
      const step = steps.get(key);
      if (step === undefined) {
        this.unknown([...prefix, key], value);
      } else if (step.column !== undefined) {
        if (this.values[step.column] === undefined) {
          this.values[step.column] = value;
          this.origins[step.column] = step.path;
        } else if (value !== undefined) {
          this.unknown(step.path, value);
        }
      } else if (step.owned && (value === null || Array.isArray(value))) {
        // Read by the child tables.
      } else if (step.object && isJsonObject(value)) {
        this.walk(step.object, value, step.path);
      } else if (value !== null) {
        this.unknown(step.path, value);
      }
    }
  }

  read(object: unknown): void {
    if (this.plan.selfColumn >= 0) {
      this.values[this.plan.selfColumn] = object;
      this.origins[this.plan.selfColumn] = [];
    } else if (isJsonObject(object)) {
      this.walk(this.plan.root, object, []);
    } else if (object !== null && object !== undefined) {
      this.unknown([], object);
    }
  }

  finish(key: RecordKeyCells, positions: readonly number[]): Row {
    const plan = this.plan;
    const columns = plan.table.columns;
    const values = this.values;
    const converters = plan.converters;
    const row: Row = new Array(plan.width).fill(null);
    // Each value is cleared as it is read, ready for the next row; an origin is
    // only read together with the value set with it.
    for (const index of plan.fields) {
      const value = values[index];
      if (value === undefined) continue;
      values[index] = undefined;
      const cell = converters[index]!(value);
      if (cell === MISFIT) {
        increment(this.counts.typeMismatches, `${plan.table.name}.${columns[index]!.name}`);
        (this.extra ??= plainRecord())[displayPath(plan.table, this.origins[index] ?? [])] = value;
      } else {
        row[index] = cell;
      }
    }
    if (plan.keyIdColumn >= 0) row[plan.keyIdColumn] = key.id;
    if (plan.keyStartColumn >= 0) row[plan.keyStartColumn] = key.start;
    const positionColumns = plan.positionColumns;
    for (let depth = 0; depth < positionColumns.length; depth++) {
      row[positionColumns[depth]!] = String(positions[depth]);
    }
    for (const { column, from } of plan.derived) {
      const source = row[from];
      row[column] = source === null || source === undefined ? null : epochTextToIso(source);
    }
    if (plan.extraColumn >= 0 && this.extra !== undefined) {
      row[plan.extraColumn] = JSON.stringify(this.extra);
    }
    return row;
  }
}

/** The record's id and start time, copied into every row. */
interface RecordKeyCells {
  readonly id: string;
  readonly start: string | null;
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

interface Walk {
  readonly key: RecordKeyCells;
  readonly counts: FlattenCounts;
  readonly emit: RowSink;
  /** Positions of the lists above, outermost first; pushed and popped on the way down. */
  readonly positions: number[];
}

/** The reusable row state of each compiled table. */
const rowStates = new WeakMap<CompiledTable, RowState>();

function rowStateOf(plan: CompiledTable, counts: FlattenCounts): RowState {
  const state = rowStates.get(plan);
  if (state !== undefined) return state.reset(counts);
  const created = new RowState(plan, counts);
  rowStates.set(plan, created);
  return created;
}

function emitItem(group: ListGroup, item: unknown, walk: Walk): void {
  for (const member of group.members) {
    const rows = member.table.rows;
    const object = rows.kind === "list" && rows.select ? rows.select(item) : item;
    if (object === undefined) continue;
    if (member.table.catchAll) countCatchAll(member.table, item, walk.counts);
    const state = rowStateOf(member, walk.counts);
    state.read(object);
    walk.emit(member.table, state.finish(walk.key, walk.positions));
    emitLists(member, object, walk);
    return;
  }
}

function emitLists(plan: CompiledTable, rowObject: unknown, walk: Walk): void {
  for (const group of plan.lists) {
    // A list found under an alias too continues the positions of the list before it.
    let position = 0;
    for (const path of group.paths) {
      const items = valueAt(rowObject, path);
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        walk.positions.push(position++);
        emitItem(group, item, walk);
        walk.positions.pop();
      }
    }
  }
}

/** A catch-all table keeps the item whole; each of its keys counts as unknown. */
function countCatchAll(table: Table, item: unknown, counts: FlattenCounts): void {
  if (!isJsonObject(item)) {
    increment(counts.unknownFields, table.rowPath);
    return;
  }
  for (const key of Object.keys(item)) increment(counts.unknownFields, `${table.rowPath}.${key}`);
}

/**
 * Flattens one record into rows of every table it has rows for, and emits
 * them, each row before the rows of its lists. A record without its id
 * yields no rows.
 *
 * @param compiled the compiled schema ({@linkcode compileSchema})
 * @param record one record, parsed with {@linkcode parseJsonKeepingNumbers}
 * @param options `emit` receives each row; `counts` collects unknown fields and type mismatches
 * @returns the record's id
 *
 * @example
 * ```ts
 * import { compileSchema } from "./compile.ts";
 * import { flattenRecord, type Row } from "./flatten.ts";
 * import { parseJsonKeepingNumbers } from "./json_text.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const record = parseJsonKeepingNumbers(
 *   '{"info":{"engagementId":"e1","startTime":"2017-02-01 17:11:59.916+0000"},' +
 *     '"transcript":{"lines":[{"text":"hi | there","timeL":1485969115981}]}}',
 * );
 * const rows: [string, Row][] = [];
 * flattenRecord(compileSchema(ENGAGEMENT_HISTORY_SCHEMA), record, {
 *   emit: (table, row) => rows.push([table.name, row]),
 *   counts: { unknownFields: new Map(), typeMismatches: new Map() },
 * });
 * assert.deepEqual(rows.map(([name]) => name), ["interaction", "transcript_lines"]);
 * ```
 */
export function flattenRecord(
  compiled: CompiledSchema,
  record: unknown,
  options: { emit: RowSink; counts: FlattenCounts },
): FlattenResult {
  if (!isJsonObject(record)) return { id: null, start: null };
  const state = rowStateOf(compiled.base, options.counts);
  state.read(record);
  const baseRow = state.finish({ id: "", start: null }, []);
  const id = baseRow[compiled.baseIdColumn] ?? null;
  if (id === null || id === "") return { id: null, start: null };
  const start = baseRow[compiled.baseStartColumn] ?? null;
  const walk: Walk = {
    key: { id, start },
    counts: options.counts,
    emit: options.emit,
    positions: [],
  };
  options.emit(compiled.base.table, baseRow);
  emitLists(compiled.base, record, walk);
  return { id, start };
}

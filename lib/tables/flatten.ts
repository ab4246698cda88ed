/**
 * Turns one Engagement History record into rows of the model's tables.
 *
 * Driven entirely by the model ({@linkcode TableModel}): row sources say where
 * a table's rows live in the record, column paths say which field fills which
 * cell. Whatever the model does not know, and any value that does not fit its
 * column's type, goes into the row's `extra` JSON cell under its path, and is
 * counted, so nothing the server sent is lost.
 *
 * Cells are text (or null), exactly as the server sent them: numbers keep
 * their source text ({@linkcode parseJsonKeepingNumbers}), booleans are
 * `true`/`false`. The documented normalisations are: LivePerson string times
 * → ISO-8601 UTC, sentinel texts listed per column → null, and
 * `{"string": x}` wrappers → x.
 *
 * @module
 */

import { epochMsToIso, lpTimeToIso } from "../time.ts";
import { isJsonObject, numberText } from "./json_text.ts";
import {
  type ColumnModel,
  ENGAGEMENT_HISTORY_TABLES,
  EVENT_FIELDS,
  EXTRA_COLUMN,
  type TableModel,
} from "./model.ts";

/** One row: a cell per column of its table, in column order; null is "no value". */
export type Row = (string | null)[];

/** Receives the rows a record yields. */
export type RowSink = (table: TableModel, row: Row) => void;

/** Counts the flattener keeps while it runs. */
export interface FlattenCounts {
  /** Unknown field paths (`info.newField`, `sdes.events[].purchase.coupon`) → occurrences. */
  readonly unknownFields: Map<string, number>;
  /** `table.column` → values that did not fit the column's type (kept in `extra`). */
  readonly typeMismatches: Map<string, number>;
}

/** Result of flattening one record. */
export interface FlattenResult {
  /** The record's engagementId as text, or null if it has none (no rows were emitted). */
  readonly engagementId: string | null;
}

const SEP = "\u001f";
const MISFIT = Symbol("misfit");

interface CompiledColumn {
  readonly index: number;
  readonly column: ColumnModel;
  readonly path: readonly string[];
}

interface CompiledTable {
  readonly table: TableModel;
  readonly columnByPath: Map<string, CompiledColumn>;
  readonly fields: readonly CompiledColumn[];
  readonly prefixes: ReadonlySet<string>;
  readonly owned: ReadonlySet<string>;
  readonly nested: CompiledTable[];
  readonly extraIndex: number;
  readonly positionIndex: number;
  readonly eventPositionIndex: number;
  readonly idIndex: number;
  readonly startIndex: number;
  readonly derived: readonly {
    index: number;
    from: number;
    how: NonNullable<ColumnModel["derive"]>["how"];
  }[];
}

/** A model prepared for fast flattening; build it once with {@linkcode compileModel}. */
export interface CompiledModel {
  readonly tables: readonly TableModel[];
  readonly base: CompiledTable;
  readonly arrays: readonly { readonly path: readonly string[]; readonly plan: CompiledTable }[];
  readonly sdeByKey: ReadonlyMap<
    string,
    { readonly plan: CompiledTable; readonly wrapper?: string }
  >;
  readonly sdeOther: CompiledTable | undefined;
  readonly sdeTypeKeyIndex: Map<string, number>;
  /** Columns of the base table that hold the engagement's id and start time. */
  readonly baseIdIndex: number;
  readonly baseStartIndex: number;
}

function compileTable(table: TableModel, owned: readonly (readonly string[])[]): CompiledTable {
  const columnByPath = new Map<string, CompiledColumn>();
  const prefixes = new Set<string>();
  const fields: CompiledColumn[] = [];
  const addPrefixes = (path: readonly string[]) => {
    for (let i = 1; i < path.length; i++) prefixes.add(path.slice(0, i).join(SEP));
  };
  table.columns.forEach((column, index) => {
    if (column.role !== "field" || !column.path) return;
    for (const path of [column.path, ...(column.aliases ?? [])]) {
      const compiled = { index, column, path };
      if (path === column.path) fields.push(compiled);
      columnByPath.set(path.join(SEP), compiled);
      addPrefixes(path);
    }
  });
  for (const path of owned) addPrefixes(path);
  const indexOf = (name: string, role: ColumnModel["role"]) =>
    table.columns.findIndex((column) => column.name === name && column.role === role);
  const derived = table.columns.flatMap((column, index) =>
    column.role === "derived" && column.derive
      ? [{
        index,
        from: table.columns.findIndex((other) => other.name === column.derive?.from),
        how: column.derive.how,
      }]
      : []
  );
  return {
    table,
    columnByPath,
    fields,
    prefixes,
    owned: new Set(owned.map((path) => path.join(SEP))),
    nested: [],
    extraIndex: table.columns.findIndex((column) => column.role === "extra"),
    positionIndex: indexOf("position", "position"),
    eventPositionIndex: indexOf("eventPosition", "position"),
    idIndex: indexOf("engagementId", "key"),
    startIndex: indexOf("startTime", "key"),
    derived,
  };
}

/**
 * Prepares a table model for {@linkcode flattenRecord}.
 *
 * @param tables the model; default the Engagement History tables
 * @returns the compiled model
 *
 * @example
 * ```ts
 * import { compileModel } from "./flatten.ts";
 * import assert from "node:assert/strict";
 * assert.equal(compileModel().base.table.name, "interaction");
 * ```
 */
export function compileModel(
  tables: readonly TableModel[] = ENGAGEMENT_HISTORY_TABLES,
): CompiledModel {
  const ownedBy = new Map<string, (readonly string[])[]>();
  const baseOwned: (readonly string[])[] = [];
  for (const table of tables) {
    if (table.rows.kind === "array") baseOwned.push(table.rows.path);
    if (table.rows.kind === "sdeEvent" || table.rows.kind === "sdeOther") {
      if (!baseOwned.some((path) => path.join(SEP) === `sdes${SEP}events`)) {
        baseOwned.push(["sdes", "events"]);
      }
    }
    if (table.rows.kind === "nested") {
      const list = ownedBy.get(table.rows.parent) ?? [];
      list.push(table.rows.path);
      ownedBy.set(table.rows.parent, list);
    }
  }
  const plans = new Map<string, CompiledTable>();
  for (const table of tables) {
    const owned = table.rows.kind === "record" ? baseOwned : ownedBy.get(table.name) ?? [];
    plans.set(table.name, compileTable(table, owned));
  }
  let base: CompiledTable | undefined;
  const arrays: { path: readonly string[]; plan: CompiledTable }[] = [];
  const sdeByKey = new Map<string, { plan: CompiledTable; wrapper?: string }>();
  let sdeOther: CompiledTable | undefined;
  const sdeTypeKeyIndex = new Map<string, number>();
  for (const table of tables) {
    const plan = plans.get(table.name)!;
    const rows = table.rows;
    switch (rows.kind) {
      case "record":
        base = plan;
        break;
      case "array":
        arrays.push({ path: rows.path, plan });
        break;
      case "sdeEvent":
        for (const key of rows.typeKeys) {
          sdeByKey.set(key, rows.wrapper ? { plan, wrapper: rows.wrapper } : { plan });
        }
        sdeTypeKeyIndex.set(
          table.name,
          table.columns.findIndex((column) => column.derive?.how === "sdeTypeKey"),
        );
        break;
      case "sdeOther":
        sdeOther = plan;
        break;
      case "nested": {
        const parent = plans.get(rows.parent);
        if (!parent) {
          throw new RangeError(`Table ${table.name} names an unknown parent ${rows.parent}`);
        }
        parent.nested.push(plan);
        break;
      }
    }
  }
  if (!base) throw new RangeError("The model has no table with rows from the record");
  const baseIdIndex = base.table.columns.findIndex((column) => column.name === "engagementId");
  const baseStartIndex = base.table.columns.findIndex((column) => column.name === "startTime");
  return {
    tables,
    base,
    arrays,
    sdeByKey,
    sdeOther,
    sdeTypeKeyIndex,
    baseIdIndex,
    baseStartIndex,
  };
}

/**
 * The text of a scalar JSON value as the server sent it: strings as is,
 * numbers with their source text, booleans as `true`/`false`, and a
 * `{"string": x}` wrapper as the text of x. Undefined for anything else.
 *
 * @param value a value parsed by {@linkcode parseJsonKeepingNumbers}
 * @returns its text, or undefined if it is not a scalar
 *
 * @example
 * ```ts
 * import { scalarText } from "./flatten.ts";
 * import { parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(scalarText(parseJsonKeepingNumbers("77.0")), "77.0");
 * assert.equal(scalarText({ string: "er100004" }), "er100004");
 * assert.equal(scalarText(false), "false");
 * assert.equal(scalarText([1]), undefined);
 * ```
 */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const number = numberText(value);
  if (number !== undefined) return number;
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "string") {
      const inner = value.string;
      return typeof inner === "string" ? inner : numberText(inner);
    }
  }
  return undefined;
}

const INTEGER = /^-?\d{1,18}$/;
const INTEGER_19 = /^-?\d{19}$/;
const INT64_MAX = 9223372036854775807n;
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function fitsInteger(text: string): boolean {
  if (INTEGER.test(text)) return true;
  if (!INTEGER_19.test(text)) return false;
  const value = BigInt(text);
  return value <= INT64_MAX && value >= -INT64_MAX - 1n;
}

function fitsFloat(text: string): boolean {
  return FLOAT.test(text) && Number.isFinite(Number(text));
}

/**
 * The cell a value gives in a column, or the MISFIT symbol when the value
 * does not fit the column's type.
 */
function cellOf(value: unknown, column: ColumnModel): string | null | typeof MISFIT {
  if (value === undefined || value === null) return null;
  if (column.type === "json") return JSON.stringify(value);
  const text = scalarText(value);
  if (text === undefined) return MISFIT;
  if (column.nullWhen?.includes(text)) return null;
  switch (column.type) {
    case "string":
      return text;
    case "integer":
      return fitsInteger(text) ? text : MISFIT;
    case "float":
      return fitsFloat(text) ? text : MISFIT;
    case "boolean":
      return text === "true" || text === "false" ? text : MISFIT;
    case "timestamp":
      if (column.normalise !== "lpTime" || typeof value !== "string") return MISFIT;
      try {
        return lpTimeIso(text) ?? MISFIT;
      } catch {
        return MISFIT;
      }
  }
}

// The form LivePerson sends: UTC, milliseconds. Rebuilt directly, because going
// through Temporal for every time of every row dominates the run time.
const UTC_LP_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}\.\d{3})(?:\+0000|\+00:00|Z)$/;
const MAX_DATE_MS = 253402300799999;

/** {@linkcode lpTimeToIso}, fast for the usual form; throws for text that is not a time. */
function lpTimeIso(text: string): string | null {
  const match = UTC_LP_TIME.exec(text);
  if (match) {
    const iso = `${match[1]}T${match[2]}Z`;
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === iso) return iso;
  }
  return lpTimeToIso(text);
}

/** {@linkcode epochMsToIso}, fast for ordinary epoch milliseconds. */
function epochIso(text: string): string | null {
  const ms = Number(text);
  if (Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_DATE_MS) return new Date(ms).toISOString();
  return epochMsToIso(text);
}

/**
 * An object without a prototype, so that a field named `__proto__` in the data
 * is stored as a field like any other instead of replacing the prototype.
 */
function plainRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

interface RowState {
  readonly plan: CompiledTable;
  readonly rowPath: string;
  readonly values: unknown[];
  readonly valuePaths: (string | undefined)[];
  extra: Record<string, unknown> | undefined;
  readonly counts: FlattenCounts;
}

function displayPath(state: RowState, parts: readonly string[]): string {
  if (parts[0] === EVENT_FIELDS) return ["sdes.events[]", ...parts.slice(1)].join(".");
  if (parts.length === 0) return state.rowPath;
  return state.rowPath === "" ? parts.join(".") : `${state.rowPath}.${parts.join(".")}`;
}

function keepUnknown(state: RowState, parts: readonly string[], value: unknown): void {
  const path = displayPath(state, parts);
  increment(state.counts.unknownFields, path);
  (state.extra ??= plainRecord())[path] = value;
}

function walk(state: RowState, object: Record<string, unknown>, baseId: string): void {
  const plan = state.plan;
  for (const key in object) {
    const value = object[key];
    // Paths are joined ids rather than arrays: this loop runs for every field of every row.
    const id = baseId === "" ? key : baseId + SEP + key;
    const compiled = plan.columnByPath.get(id);
    if (compiled !== undefined) {
      if (state.values[compiled.index] === undefined) {
        state.values[compiled.index] = value;
        state.valuePaths[compiled.index] = id;
      } else if (value !== undefined) {
        keepUnknown(state, id.split(SEP), value);
      }
      continue;
    }
    if (plan.owned.has(id)) {
      if (value === null || Array.isArray(value)) continue;
    } else if (plan.prefixes.has(id)) {
      if (isJsonObject(value)) {
        walk(state, value, id);
        continue;
      }
      if (value === null) continue;
    }
    keepUnknown(state, id.split(SEP), value);
  }
}

function newState(plan: CompiledTable, rowPath: string, counts: FlattenCounts): RowState {
  const width = plan.table.columns.length;
  return {
    plan,
    rowPath,
    values: new Array(width).fill(undefined),
    valuePaths: new Array(width).fill(undefined),
    extra: undefined,
    counts,
  };
}

interface RowContext {
  readonly engagementId: string;
  readonly startTime: string | null;
  readonly position?: number;
  readonly eventPosition?: number;
  readonly typeKey?: string;
}

function finishRow(state: RowState, context: RowContext): Row {
  const plan = state.plan;
  const columns = plan.table.columns;
  const row: Row = new Array(columns.length).fill(null);
  for (const { index, column } of plan.fields) {
    const cell = cellOf(state.values[index], column);
    if (cell === MISFIT) {
      increment(state.counts.typeMismatches, `${plan.table.name}.${column.name}`);
      const id = state.valuePaths[index];
      const parts = id === undefined ? column.path ?? [] : id === "" ? [] : id.split(SEP);
      (state.extra ??= plainRecord())[displayPath(state, parts)] = state.values[index];
    } else {
      row[index] = cell;
    }
  }
  if (plan.idIndex >= 0) row[plan.idIndex] = context.engagementId;
  if (plan.startIndex >= 0) row[plan.startIndex] = context.startTime;
  if (plan.positionIndex >= 0 && context.position !== undefined) {
    row[plan.positionIndex] = String(context.position);
  }
  if (plan.eventPositionIndex >= 0 && context.eventPosition !== undefined) {
    row[plan.eventPositionIndex] = String(context.eventPosition);
  }
  for (const { index, from, how } of plan.derived) {
    if (how === "epochMsToIso") {
      const source = from >= 0 ? row[from] : null;
      row[index] = source === null || source === undefined ? null : epochIso(source);
    } else {
      row[index] = context.typeKey ?? null;
    }
  }
  if (plan.extraIndex >= 0 && state.extra !== undefined) {
    row[plan.extraIndex] = JSON.stringify(state.extra);
  }
  return row;
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function emitArrayRows(
  plan: CompiledTable,
  items: readonly unknown[],
  rowPath: string,
  context: RowContext,
  counts: FlattenCounts,
  emit: RowSink,
): void {
  items.forEach((item, position) => {
    const state = newState(plan, rowPath, counts);
    const hasScalarColumn = plan.columnByPath.has("");
    if (hasScalarColumn) {
      const compiled = plan.columnByPath.get("")!;
      state.values[compiled.index] = item;
      state.valuePaths[compiled.index] = "";
    } else if (isJsonObject(item)) {
      walk(state, item, "");
    } else if (item !== null) {
      keepUnknown(state, [], item);
    }
    emit(plan.table, finishRow(state, { ...context, position }));
    emitNested(plan, item, rowPath, { ...context, position }, counts, emit);
  });
}

function emitNested(
  parent: CompiledTable,
  parentObject: unknown,
  parentRowPath: string,
  context: RowContext,
  counts: FlattenCounts,
  emit: RowSink,
): void {
  for (const child of parent.nested) {
    if (child.table.rows.kind !== "nested") continue;
    const items = valueAt(parentObject, child.table.rows.path);
    if (!Array.isArray(items)) continue;
    const rowPath = `${parentRowPath}.${child.table.rows.path.join(".")}[]`;
    emitArrayRows(
      child,
      items,
      rowPath,
      {
        engagementId: context.engagementId,
        startTime: context.startTime,
        eventPosition: context.position,
      },
      counts,
      emit,
    );
  }
}

const PAYLOAD_LEVEL = new Set(["serverTimeStamp", "originalTimeStamp"]);

/** Puts a flat payload (`personalInfo: {name, …}`) into the documented wrapper shape. */
function wrapPayload(payload: Record<string, unknown>, wrapper: string): Record<string, unknown> {
  if (isJsonObject(payload[wrapper])) return payload;
  const outer = plainRecord();
  const inner = plainRecord();
  for (const [key, value] of Object.entries(payload)) {
    if (PAYLOAD_LEVEL.has(key) || key === wrapper) outer[key] = value;
    else inner[key] = value;
  }
  if (Object.keys(inner).length > 0) {
    if (outer[wrapper] !== undefined && outer[wrapper] !== null) {
      // A scalar where the wrapper object belongs: keep it beside, as an unknown field.
      outer[`${wrapper}$value`] = outer[wrapper];
    }
    outer[wrapper] = inner;
  }
  return outer;
}

function emitSdeEvents(
  model: CompiledModel,
  events: readonly unknown[],
  context: RowContext,
  counts: FlattenCounts,
  emit: RowSink,
): void {
  events.forEach((event, position) => {
    const typeKey = isJsonObject(event)
      ? Object.keys(event).find((key) => model.sdeByKey.has(key))
      : undefined;
    if (typeKey === undefined || !isJsonObject(event)) {
      const plan = model.sdeOther;
      if (!plan) return;
      if (isJsonObject(event)) {
        for (const key of Object.keys(event)) {
          increment(counts.unknownFields, `sdes.events[].${key}`);
        }
      } else {
        increment(counts.unknownFields, "sdes.events[]");
      }
      const state = newState(plan, "sdes.events[]", counts);
      const compiled = plan.columnByPath.get("");
      if (compiled) state.values[compiled.index] = event;
      emit(plan.table, finishRow(state, { ...context, position }));
      return;
    }
    const { plan, wrapper } = model.sdeByKey.get(typeKey)!;
    const rowPath = `sdes.events[].${typeKey}`;
    const payload = event[typeKey];
    const state = newState(plan, rowPath, counts);
    const eventLevel = plainRecord();
    for (const [key, value] of Object.entries(event)) if (key !== typeKey) eventLevel[key] = value;
    let rowObject: Record<string, unknown> = {};
    if (isJsonObject(payload)) {
      rowObject = wrapper ? wrapPayload(payload, wrapper) : payload;
      walk(state, rowObject, "");
    } else if (payload !== null) {
      keepUnknown(state, [], payload);
    }
    walk(state, eventLevel, EVENT_FIELDS);
    emit(plan.table, finishRow(state, { ...context, position, typeKey }));
    emitNested(plan, rowObject, rowPath, { ...context, position }, counts, emit);
  });
}

/**
 * Flattens one record into rows of every table it has rows for, and emits
 * them base row first. Records without `info.engagementId` yield no rows.
 *
 * @param model the compiled model ({@linkcode compileModel})
 * @param record one element of `interactionHistoryRecords`, parsed with
 *   {@linkcode parseJsonKeepingNumbers}
 * @param options `emit` receives each row; `counts` collects unknown fields and type mismatches
 * @returns the engagementId the rows carry
 *
 * @example
 * ```ts
 * import { compileModel, flattenRecord, type Row } from "./flatten.ts";
 * import { parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * const record = parseJsonKeepingNumbers(
 *   '{"info":{"engagementId":"e1","startTime":"2017-02-01 17:11:59.916+0000"},' +
 *     '"transcript":{"lines":[{"text":"hi | there","timeL":1485969115981}]}}',
 * );
 * const rows: [string, Row][] = [];
 * flattenRecord(compileModel(), record, {
 *   emit: (table, row) => rows.push([table.name, row]),
 *   counts: { unknownFields: new Map(), typeMismatches: new Map() },
 * });
 * assert.deepEqual(rows.map(([name]) => name), ["interaction", "transcript_lines"]);
 * ```
 */
export function flattenRecord(
  model: CompiledModel,
  record: unknown,
  options: { emit: RowSink; counts: FlattenCounts },
): FlattenResult {
  const { emit, counts } = options;
  if (!isJsonObject(record)) return { engagementId: null };
  const base = model.base;
  const state = newState(base, "", counts);
  walk(state, record, "");
  const engagementId = scalarText(state.values[model.baseIdIndex]) ?? null;
  if (engagementId === null || engagementId === "") return { engagementId: null };
  const baseRow = finishRow(state, { engagementId, startTime: null });
  const context: RowContext = { engagementId, startTime: baseRow[model.baseStartIndex] ?? null };
  emit(base.table, baseRow);
  for (const { path, plan } of model.arrays) {
    const items = valueAt(record, path);
    if (Array.isArray(items)) {
      emitArrayRows(plan, items, `${path.join(".")}[]`, context, counts, emit);
    }
  }
  const events = valueAt(record, ["sdes", "events"]);
  if (Array.isArray(events)) emitSdeEvents(model, events, context, counts, emit);
  return { engagementId };
}

/**
 * Index of the `extra` column of a table, or -1.
 *
 * @param table a table of the model
 * @returns the column index
 *
 * @example
 * ```ts
 * import { extraColumnIndex } from "./flatten.ts";
 * import { tableByName } from "./model.ts";
 * import assert from "node:assert/strict";
 * const table = tableByName("interaction");
 * assert.equal(extraColumnIndex(table), table.columns.length - 1);
 * ```
 */
export function extraColumnIndex(table: TableModel): number {
  return table.columns.findIndex((column) => column.name === EXTRA_COLUMN);
}

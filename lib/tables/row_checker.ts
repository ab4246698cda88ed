/**
 * The tables step's self-check, row by row: every primary key present and
 * unique, every child row under a parent row.
 *
 * It relies on the order the flattener emits a record's rows in: each row
 * before the rows of its lists, the items of a list in order. A child row's
 * parent is then the last row its parent table got, and rows under the same
 * parent have increasing positions; so comparing a row with two earlier rows
 * proves both properties, without building a key for each row.
 *
 * @module
 */

import type { Row } from "./flatten.ts";
import type { SourceSchema, Table } from "./schema.ts";

/** Outcome of the self-check on the written rows. */
export interface TablesChecks {
  /** Every table's primary key is unique and never null. */
  readonly primaryKeysUnique: boolean;
  /** Every child row's key to its parent exists in the parent table. */
  readonly childRowsHaveParent: boolean;
  /** What failed, if anything (at most 20 examples). */
  readonly problems: readonly string[];
}

/** One failure of the self-check. */
export interface RowFailure {
  /** `key`: a null or repeated primary key; `parent`: a child row without its parent row. */
  readonly kind: "key" | "parent";
  readonly message: string;
}

const NO_FAILURES: readonly RowFailure[] = Object.freeze([]);

/**
 * Adds up the failures of the records written into {@linkcode TablesChecks}.
 *
 * @example
 * ```ts
 * import { ChecksTally } from "./row_checker.ts";
 * import assert from "node:assert/strict";
 * const tally = new ChecksTally();
 * tally.add([{ kind: "parent", message: "c: row of e2 has no b row" }]);
 * assert.deepEqual(tally.result(), {
 *   primaryKeysUnique: true,
 *   childRowsHaveParent: false,
 *   problems: ["c: row of e2 has no b row"],
 * });
 * ```
 */
export class ChecksTally {
  #primaryKeysUnique = true;
  #childRowsHaveParent = true;
  readonly #problems: string[] = [];

  /** @param failures failures of one record (or several) */
  add(failures: readonly RowFailure[]): void {
    for (const failure of failures) {
      if (failure.kind === "key") this.#primaryKeysUnique = false;
      else this.#childRowsHaveParent = false;
      if (this.#problems.length < 20) this.#problems.push(failure.message);
    }
  }

  /** @returns what the check found */
  result(): TablesChecks {
    return {
      primaryKeysUnique: this.#primaryKeysUnique,
      childRowsHaveParent: this.#childRowsHaveParent,
      problems: [...this.#problems],
    };
  }
}

/** Where a table's key and its parent's key lie in its rows, and the parent's in the parent's. */
interface KeyPlan {
  readonly table: Table;
  /** Number of the parent table in the schema, or -1 for the base table. */
  readonly parent: number;
  /** Columns of the primary key. */
  readonly key: readonly number[];
  /** Columns that join to the parent, and the parent columns they reference. */
  readonly toParent: readonly number[];
  readonly inParent: readonly number[];
  /** The key column besides those that join to the parent: the row's position. */
  readonly position: number;
}

function sameCells(a: Row, aColumns: readonly number[], b: Row, bColumns: readonly number[]) {
  for (let at = 0; at < aColumns.length; at++) {
    if (a[aColumns[at]!] !== b[bColumns[at]!]) return false;
  }
  return true;
}

/**
 * Checks the rows of one record at a time; a record's rows come parent first,
 * each row before the rows of its lists, as {@linkcode flattenRecord} emits them.
 *
 * @example
 * ```ts
 * import { RowChecker } from "./row_checker.ts";
 * import assert from "node:assert/strict";
 * const base = { name: "b", columns: [{ name: "id" }], primaryKey: ["id"] };
 * const child = {
 *   name: "c", columns: [{ name: "id" }, { name: "position" }], primaryKey: ["id", "position"],
 *   parent: { table: "b", columns: ["id"], references: ["id"] },
 * };
 * const checker = new RowChecker({ tables: [base, child] } as never);
 * checker.startRecord();
 * checker.check(child as never, ["e2", "0"]);
 * assert.equal(checker.result().childRowsHaveParent, false);
 * checker.startRecord();
 * checker.check(base as never, ["e3"]);
 * checker.check(child as never, ["e3", "0"]);
 * checker.check(child as never, ["e3", "0"]);
 * assert.equal(checker.result().primaryKeysUnique, false);
 * ```
 */
export class RowChecker {
  readonly #tally = new ChecksTally();
  #recordFailures: RowFailure[] | undefined;
  readonly #plans = new Map<string, { readonly number: number; readonly plan: KeyPlan }>();
  /** The last row of each table in the current record. */
  readonly #lastRows: (Row | undefined)[];

  /**
   * @param schema the source's tables
   * @throws {RangeError} for a child table whose key is not its parent's key and a position
   */
  constructor(schema: SourceSchema) {
    const numbers = new Map(schema.tables.map((table, index) => [table.name, index]));
    schema.tables.forEach((table, number) => {
      const index = (name: string) => table.columns.findIndex((column) => column.name === name);
      const key = table.primaryKey.map(index);
      const parentTable = table.parent
        ? schema.tables[numbers.get(table.parent.table) ?? -1]
        : undefined;
      const toParent = table.parent?.columns.map(index) ?? [];
      const inParent = table.parent?.references.map((name) =>
        parentTable?.columns.findIndex((column) =>
          column.name === name
        ) ?? -1
      ) ?? [];
      const own = key.filter((column) => !toParent.includes(column));
      if (
        table.parent &&
        (parentTable === undefined || own.length !== 1 || key.length !== toParent.length + 1 ||
          [...toParent, ...inParent].some((column) => column < 0))
      ) {
        throw new RangeError(
          `Table ${table.name}: its key must be the columns that join to its parent and a position`,
        );
      }
      this.#plans.set(table.name, {
        number,
        plan: {
          table,
          parent: table.parent ? numbers.get(table.parent.table)! : -1,
          key,
          toParent,
          inParent,
          position: own[0] ?? -1,
        },
      });
    });
    this.#lastRows = new Array(schema.tables.length);
  }

  #fail(kind: "key" | "parent", message: string): void {
    const failure = { kind, message };
    (this.#recordFailures ??= []).push(failure);
    this.#tally.add([failure]);
  }

  /** Starts the rows of the next record. */
  startRecord(): void {
    this.#lastRows.fill(undefined);
    this.#recordFailures = undefined;
  }

  /** @returns the failures of the current record's rows (usually none) */
  recordFailures(): readonly RowFailure[] {
    return this.#recordFailures ?? NO_FAILURES;
  }

  /**
   * Checks one row.
   *
   * @param table its table
   * @param row the row
   */
  check(table: Table, row: Row): void {
    const entry = this.#plans.get(table.name);
    if (entry === undefined) return;
    const { number, plan } = entry;
    for (const column of plan.key) {
      if (row[column] === null || row[column] === undefined) {
        this.#fail("key", `${table.name}: a row has a null primary key column`);
        break;
      }
    }
    const last = this.#lastRows[number];
    this.#lastRows[number] = row;
    if (plan.parent < 0) {
      if (last !== undefined) this.#duplicate(plan, row);
      return;
    }
    const parentRow = this.#lastRows[plan.parent];
    if (parentRow === undefined || !sameCells(row, plan.toParent, parentRow, plan.inParent)) {
      this.#fail("parent", `${table.name}: row of ${row[0]} has no ${table.parent!.table} row`);
      return;
    }
    // Rows under the same parent come with increasing positions.
    if (
      last !== undefined && sameCells(row, plan.toParent, last, plan.toParent) &&
      !(Number(row[plan.position]) > Number(last[plan.position]))
    ) {
      this.#duplicate(plan, row);
    }
  }

  #duplicate(plan: KeyPlan, row: Row): void {
    const cells = plan.key.map((column) => row[column] ?? null);
    this.#fail("key", `${plan.table.name}: duplicate key ${cells.join(", ")}`);
  }

  /** @returns what the check found in every row it saw */
  result(): TablesChecks {
    return this.#tally.result();
  }
}

/**
 * The tables step's self-check, row by row: every primary key present and
 * unique, every child row under a parent row.
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

const SEPARATOR = "\u001f";

/**
 * Checks the rows of one record at a time; a record's rows come parent first.
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
 * ```
 */
export class RowChecker {
  #primaryKeysUnique = true;
  #childRowsHaveParent = true;
  readonly #problems: string[] = [];
  readonly #keyIndexes = new Map<string, number[]>();
  readonly #parentIndexes = new Map<string, number[]>();
  #keys = new Map<string, Set<string>>();

  /** @param schema the source's tables */
  constructor(schema: SourceSchema) {
    for (const table of schema.tables) {
      const index = (name: string) => table.columns.findIndex((column) => column.name === name);
      this.#keyIndexes.set(table.name, table.primaryKey.map(index));
      if (table.parent) this.#parentIndexes.set(table.name, table.parent.columns.map(index));
    }
  }

  #fail(kind: "key" | "parent", message: string): void {
    if (kind === "key") this.#primaryKeysUnique = false;
    else this.#childRowsHaveParent = false;
    if (this.#problems.length < 20) this.#problems.push(message);
  }

  /** Starts the rows of the next record. */
  startRecord(): void {
    this.#keys = new Map();
  }

  /**
   * Checks one row.
   *
   * @param table its table
   * @param row the row
   */
  check(table: Table, row: Row): void {
    const key = (this.#keyIndexes.get(table.name) ?? []).map((index) => row[index] ?? null);
    if (key.some((cell) => cell === null)) {
      this.#fail("key", `${table.name}: a row has a null primary key column`);
    }
    const seen = this.#keys.get(table.name) ?? new Set<string>();
    this.#keys.set(table.name, seen);
    const text = key.join(SEPARATOR);
    if (seen.has(text)) this.#fail("key", `${table.name}: duplicate key ${key.join(", ")}`);
    seen.add(text);
    const parentIndexes = this.#parentIndexes.get(table.name);
    if (table.parent && parentIndexes) {
      const parentKey = parentIndexes.map((index) => row[index] ?? null).join(SEPARATOR);
      if (!this.#keys.get(table.parent.table)?.has(parentKey)) {
        this.#fail("parent", `${table.name}: row of ${row[0]} has no ${table.parent.table} row`);
      }
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

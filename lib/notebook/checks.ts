/**
 * Data checks for notebooks: each throws with a sentence that names the table, the columns and
 * a few offending values, so a failed assumption stops the notebook run instead of skewing a chart.
 *
 * @module
 */
import pl from "nodejs-polars";

/**
 * Throws when the given columns do not identify every row (duplicates or nulls in the key).
 *
 * @param df The table.
 * @param key Key columns, e.g. `["engagementId"]` or `["engagementId", "position"]`.
 * @param label Table name for the message.
 * @returns The number of rows checked.
 * @throws {Error} When a key value repeats or a key column is null.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { assertUniqueKey } from "./checks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(assertUniqueKey(pl.DataFrame({ id: ["a", "b"] }), ["id"]), 2);
 * assert.throws(() => assertUniqueKey(pl.DataFrame({ id: ["a", "a"] }), ["id"], "t"), /t: 1 key/);
 * ```
 */
export function assertUniqueKey(df: pl.DataFrame, key: readonly string[], label = "table"): number {
  requireColumns(df, key, label);
  for (const column of key) {
    const nulls = df.getColumn(column).nullCount();
    if (nulls > 0) {
      throw new Error(`${label}: key column "${column}" is null in ${nulls} row(s)`);
    }
  }
  const duplicates = df.groupBy([...key]).agg(pl.len().alias("rows"))
    .filter(pl.col("rows").gt(1));
  if (duplicates.height > 0) {
    const examples = JSON.stringify(duplicates.head(3).toRecords());
    throw new Error(
      `${label}: ${duplicates.height} key value(s) of (${key.join(", ")}) repeat, e.g. ${examples}`,
    );
  }
  return df.height;
}

/**
 * Throws when a child table has key values that its parent table lacks (orphan rows).
 *
 * @param child The referencing table, e.g. `transcript_lines`.
 * @param parent The referenced table, e.g. `interaction`.
 * @param column The shared column, e.g. `engagementId`.
 * @param label Names for the message, e.g. `"transcript_lines → interaction"`.
 * @returns The number of child rows checked.
 * @throws {Error} When at least one child value is not in the parent.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { assertForeignKey } from "./checks.ts";
 * import assert from "node:assert/strict";
 *
 * const parent = pl.DataFrame({ engagementId: ["1", "2"] });
 * assert.equal(assertForeignKey(pl.DataFrame({ engagementId: ["1", "1"] }), parent, "engagementId"), 2);
 * assert.throws(() => assertForeignKey(pl.DataFrame({ engagementId: ["3"] }), parent, "engagementId"), /orphan/);
 * ```
 */
export function assertForeignKey(
  child: pl.DataFrame,
  parent: pl.DataFrame,
  column: string,
  label = "child → parent",
): number {
  requireColumns(child, [column], label);
  requireColumns(parent, [column], label);
  const orphans = child.select(column).unique()
    .join(parent.select(column).unique(), { on: column, how: "anti" });
  if (orphans.height > 0) {
    const examples = orphans.getColumn(column).head(3).toArray().join(", ");
    throw new Error(
      `${label}: ${orphans.height} orphan value(s) of "${column}" not in the parent, e.g. ${examples}`,
    );
  }
  return child.height;
}

/**
 * Throws when a condition does not hold; a one-line assertion for analysis cells.
 *
 * @param condition What must be true.
 * @param message What was expected, e.g. `"every engagement has a skill"`.
 * @returns Nothing; returns only when the condition holds.
 * @throws {Error} `Check failed: <message>` when the condition is false.
 *
 * @example
 * ```ts
 * import { check } from "./checks.ts";
 * import assert from "node:assert/strict";
 *
 * check(1 + 1 === 2, "arithmetic works");
 * assert.throws(() => check(false, "never"), /Check failed: never/);
 * ```
 */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`Check failed: ${message}`);
}

function requireColumns(df: pl.DataFrame, columns: readonly string[], label: string): void {
  const missing = columns.filter((c) => !df.columns.includes(c));
  if (missing.length > 0) {
    throw new Error(`${label}: missing column(s) ${missing.join(", ")}`);
  }
}

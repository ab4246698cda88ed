/**
 * Finding a survey question by its text across the survey tables (post-chat, agent wrap-up …)
 * and collecting its answers, one per engagement, ready for `answerScale()` and
 * `scoreAnswers()`.
 *
 * @module
 */
import pl from "nodejs-polars";

/**
 * The questions whose text (`displayName`) matches a pattern, in every survey table given.
 *
 * @param surveys Survey tables keyed by name, e.g. `{ surveys_postchat, surveys_operator }`.
 * @param pattern A case-insensitive regular expression (Rust syntax), e.g. `"resolved"`.
 * @returns Columns `survey`, `questionID`, `displayName` (Utf8), `answers` (Int64); most
 *   answered first, ties by survey and question.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { findQuestions } from "./surveys.ts";
 * import assert from "node:assert/strict";
 *
 * const operator = pl.DataFrame({ engagementId: ["1"], questionID: ["31"], displayName: ["Was the issue resolved?"], value: ["Resolved"] });
 * const found = findQuestions({ surveys_operator: operator }, "resolved");
 * assert.deepEqual(found.toRecords(), [
 *   { survey: "surveys_operator", questionID: "31", displayName: "Was the issue resolved?", answers: 1 },
 * ]);
 * ```
 */
export function findQuestions(
  surveys: Readonly<Record<string, pl.DataFrame>>,
  pattern: string,
): pl.DataFrame {
  return matchingAnswers(surveys, pattern)
    .groupBy(["survey", "questionID", "displayName"])
    .agg(pl.len().cast(pl.Int64).alias("answers"))
    .sort(["answers", "survey", "questionID", "displayName"], [true, false, false, false]);
}

/**
 * The answers to the questions whose text matches a pattern: the first answer per engagement
 * and survey, non-empty, with the question it answered.
 *
 * @param surveys Survey tables keyed by name.
 * @param pattern A case-insensitive regular expression (Rust syntax).
 * @returns Columns `engagementId`, `survey`, `questionID`, `displayName`, `value`; in
 *   engagement order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { answersTo } from "./surveys.ts";
 * import assert from "node:assert/strict";
 *
 * const postchat = pl.DataFrame({
 *   engagementId: ["1", "2", "3"],
 *   questionID: ["9", "9", "14"],
 *   displayName: ["How was the chat?", "How was the chat?", "Would you recommend us?"],
 *   value: ["Great", "", "Yes"],
 * });
 * assert.deepEqual(answersTo({ surveys_postchat: postchat }, "how was").getColumn("value").toArray(), ["Great"]);
 * ```
 */
export function answersTo(
  surveys: Readonly<Record<string, pl.DataFrame>>,
  pattern: string,
): pl.DataFrame {
  return matchingAnswers(surveys, pattern)
    .filter(pl.col("value").isNotNull().and(pl.col("value").str.strip().neq(pl.lit(""))))
    .withColumns(pl.col("value").str.strip())
    .unique({
      subset: ["engagementId", "survey", "questionID"],
      keep: "first",
      maintainOrder: true,
    })
    .sort(["engagementId", "survey", "questionID"]);
}

function matchingAnswers(
  surveys: Readonly<Record<string, pl.DataFrame>>,
  pattern: string,
): pl.DataFrame {
  const regex = `(?i)${pattern}`;
  const parts = Object.entries(surveys)
    .filter(([, df]) => df.height > 0 && df.columns.includes("displayName"))
    .map(([name, df]) => {
      const ordered = df.columns.includes("position") ? df.sort(["engagementId", "position"]) : df;
      return ordered.select(
        pl.col("engagementId"),
        pl.lit(name).alias("survey"),
        pl.col("questionID").cast(pl.Utf8),
        pl.col("displayName").cast(pl.Utf8),
        pl.col("value").cast(pl.Utf8),
      ).filter(pl.col("displayName").str.contains(regex));
    });
  if (parts.length === 0) {
    return pl.DataFrame({}, {
      schema: {
        engagementId: pl.Utf8,
        survey: pl.Utf8,
        questionID: pl.Utf8,
        displayName: pl.Utf8,
        value: pl.Utf8,
      },
    });
  }
  return pl.concat(parts, { how: "vertical" });
}

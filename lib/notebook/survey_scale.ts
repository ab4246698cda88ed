/**
 * Survey answers as scales: which answers are bad, neutral or good, in which order they stack,
 * which colours they get, and the scores a contact centre reports from them (top-box share,
 * bottom-box share, net score), each with the number of answers behind it.
 *
 * A question's answers form an *ordered* scale when every answer is a number (1–5, 0–10 …) or
 * a known word (`Poor` < `OK` < `Great`, `No` < `Yes`, `Escalated` < `Resolved` …; pass your
 * own `tones` for other words). Other questions (multi-select topics, free text) are
 * *unordered*: they keep their answers in frequency order and get no score.
 *
 * @module
 */
import pl from "nodejs-polars";
import * as Plot from "@observablehq/plot";
import { sortGroups, wilsonInterval } from "./stats.ts";

/**
 * Known answer words with their tone: −2 very bad … 0 neutral … 2 very good. Keys are lower
 * case; answers are matched after trimming, lower-casing and dropping final punctuation.
 */
export const ANSWER_TONES: Readonly<Record<string, number>> = Object.freeze({
  "very poor": -2,
  "very bad": -2,
  terrible: -2,
  awful: -2,
  "very dissatisfied": -2,
  "very unsatisfied": -2,
  "strongly disagree": -2,
  poor: -1,
  bad: -1,
  dissatisfied: -1,
  unsatisfied: -1,
  disagree: -1,
  no: -1,
  "not resolved": -1,
  unresolved: -1,
  escalated: -1,
  unhappy: -1,
  negative: -1,
  ok: 0,
  okay: 0,
  fair: 0,
  average: 0,
  neutral: 0,
  partly: 0,
  partially: 0,
  "partially resolved": 0,
  "neither satisfied nor dissatisfied": 0,
  "neither agree nor disagree": 0,
  good: 1,
  satisfied: 1,
  agree: 1,
  yes: 1,
  resolved: 1,
  happy: 1,
  positive: 1,
  great: 2,
  excellent: 2,
  "very good": 2,
  "very satisfied": 2,
  "strongly agree": 2,
  perfect: 2,
});

/** One question's answers as a scale. */
export interface SurveyScale {
  /** Whether the answers have a bad → good order. */
  readonly ordered: boolean;
  /** The answers, bad → good when ordered, else most frequent first. */
  readonly levels: readonly string[];
  /** Tone of each answer from −1 (worst) through 0 (neutral) to 1 (best); empty when unordered. */
  readonly tones: Readonly<Record<string, number>>;
  /** Answers that count as good (top box). */
  readonly good: readonly string[];
  /** Answers that count as bad (bottom box). */
  readonly bad: readonly string[];
}

/** Options of {@linkcode answerScale}. */
export interface ScaleOptions {
  /** Extra or replacement word tones (−2 … 2), keyed by lower-case answer. */
  readonly tones?: Readonly<Record<string, number>>;
}

/**
 * Reads the scale of one question's answers.
 *
 * Numbers: on a 1–3 scale 3 is good and 1 bad; on 1–5, 4–5 good and 1–2 bad; on 1–7, 6–7 good
 * and 1–3 bad; above 7 (0–10, as for NPS) 9–10 good and 0–6 bad. Words: tone above 0 is good,
 * below 0 bad.
 *
 * @param answers The answers given (repeats, nulls and empty strings allowed).
 * @param options Extra word tones.
 * @returns The scale.
 *
 * @example
 * ```ts
 * import { answerScale } from "./survey_scale.ts";
 * import assert from "node:assert/strict";
 *
 * const chat = answerScale(["Great", "OK", "Poor", "Great", null]);
 * assert.deepEqual([chat.ordered, chat.levels, chat.good, chat.bad], [true, ["Poor", "OK", "Great"], ["Great"], ["Poor"]]);
 * const nps = answerScale(["10", "7", "3", "9"]);
 * assert.deepEqual([nps.levels, nps.good, nps.bad], [["3", "7", "9", "10"], ["9", "10"], ["3"]]);
 * const topics = answerScale(["Speed", "Knowledge", "Speed"]);
 * assert.deepEqual([topics.ordered, topics.levels], [false, ["Speed", "Knowledge"]]);
 * ```
 */
export function answerScale(
  answers: readonly (string | null | undefined)[],
  options: ScaleOptions = {},
): SurveyScale {
  const frequency = new Map<string, number>();
  for (const answer of answers) {
    if (answer === null || answer === undefined || answer.trim() === "") continue;
    frequency.set(answer, (frequency.get(answer) ?? 0) + 1);
  }
  const distinct = [...frequency.keys()];
  if (distinct.length > 0 && distinct.every((a) => /^\s*-?\d+\s*$/.test(a))) {
    return numericScale(distinct);
  }
  const dictionary = { ...ANSWER_TONES, ...lowerKeys(options.tones ?? {}) };
  const known = distinct.map((answer) => [answer, dictionary[normalise(answer)]] as const);
  if (distinct.length > 1 && known.every(([, tone]) => tone !== undefined)) {
    const sorted = [...known].sort(([a, ta], [b, tb]) => (ta! - tb!) || (a < b ? -1 : 1));
    // Spread over −1 … 1 by rank on each side of neutral, so each question's worst answer is
    // fully red and its best fully green, whatever words it uses.
    const negative = sorted.filter(([, tone]) => tone! < 0);
    const positive = sorted.filter(([, tone]) => tone! > 0);
    const tones = Object.fromEntries(sorted.map(([answer, tone]) => {
      if (tone! < 0) {
        const rank = negative.findIndex(([a]) => a === answer);
        return [answer, -(negative.length - rank) / negative.length];
      }
      if (tone! > 0) {
        const rank = positive.findIndex(([a]) => a === answer);
        return [answer, (rank + 1) / positive.length];
      }
      return [answer, 0];
    }));
    return {
      ordered: true,
      levels: sorted.map(([answer]) => answer),
      tones,
      good: sorted.filter(([, tone]) => tone! > 0).map(([answer]) => answer),
      bad: sorted.filter(([, tone]) => tone! < 0).map(([answer]) => answer),
    };
  }
  const levels = distinct.sort((a, b) =>
    (frequency.get(b)! - frequency.get(a)!) || (a < b ? -1 : 1)
  );
  return { ordered: false, levels, tones: {}, good: [], bad: [] };
}

function numericScale(distinct: string[]): SurveyScale {
  const values = distinct.map((a) => [a, Number(a.trim())] as const)
    .sort(([a, x], [b, y]) => (x - y) || (a < b ? -1 : 1));
  const max = values[values.length - 1]![1];
  const min = Math.min(values[0]![1], 1);
  const [goodFrom, badTo, top] = max <= 3
    ? [3, 1, 3]
    : max <= 5
    ? [4, 2, 5]
    : max <= 7
    ? [6, 3, 7]
    : [9, 6, 10];
  const bottom = top === 10 ? Math.min(min, 0) : min;
  const middle = (top + bottom) / 2;
  const tones = Object.fromEntries(
    values.map(([answer, v]) => [answer, clamp((v - middle) / ((top - bottom) / 2))]),
  );
  return {
    ordered: true,
    levels: values.map(([answer]) => answer),
    tones,
    good: values.filter(([, v]) => v >= goodFrom).map(([answer]) => answer),
    bad: values.filter(([, v]) => v <= badTo).map(([answer]) => answer),
  };
}

/**
 * Colours for answers: ordered answers from red (worst) through yellow to green (best) by
 * tone; unordered ones from a categorical palette in their order.
 *
 * @param scale A scale, or several merged with {@linkcode mergeScales}.
 * @returns `domain` and `range` for Plot's `color` option, in the scale's order.
 *
 * @example
 * ```ts
 * import { answerColors, answerScale } from "./survey_scale.ts";
 * import assert from "node:assert/strict";
 *
 * const colors = answerColors(answerScale(["Poor", "OK", "Great"]));
 * assert.deepEqual(colors.domain, ["Poor", "OK", "Great"]);
 * assert.equal(colors.range.length, 3);
 * ```
 */
export function answerColors(scale: SurveyScale): { domain: string[]; range: string[] } {
  const domain = [...scale.levels];
  if (scale.ordered) {
    const ramp = Plot.scale({ color: { type: "linear", scheme: "RdYlGn", domain: [-1, 1] } });
    return { domain, range: domain.map((answer) => String(ramp.apply(scale.tones[answer] ?? 0))) };
  }
  const palette = Plot.scale({ color: { type: "categorical", scheme: "tableau10", domain } });
  return { domain, range: domain.map((answer) => String(palette.apply(answer))) };
}

/**
 * Merges ordered scales (e.g. of every question in one chart) into one, its answers sorted by
 * tone so that each question's bar stacks bad → good with shared colours.
 *
 * @param scales Ordered scales.
 * @returns One ordered scale.
 *
 * @example
 * ```ts
 * import { answerScale, mergeScales } from "./survey_scale.ts";
 * import assert from "node:assert/strict";
 *
 * const merged = mergeScales([answerScale(["Great", "Poor", "OK"]), answerScale(["Yes", "No"])]);
 * assert.deepEqual(merged.levels, ["No", "Poor", "OK", "Great", "Yes"]);
 * assert.deepEqual([merged.tones.No, merged.tones.OK, merged.tones.Great], [-1, 0, 1]);
 * ```
 */
export function mergeScales(scales: readonly SurveyScale[]): SurveyScale {
  const tones: Record<string, number> = {};
  for (const scale of scales) Object.assign(tones, scale.tones);
  const levels = Object.keys(tones).sort((a, b) => (tones[a]! - tones[b]!) || (a < b ? -1 : 1));
  return {
    ordered: true,
    levels,
    tones,
    good: scales.flatMap((s) => s.good),
    bad: scales.flatMap((s) => s.bad),
  };
}

/** Options of {@linkcode scoreAnswers}. */
export interface ScoreOptions {
  /** Group column(s), e.g. `"agent"` or `"skill"`; `[]` for one row. */
  readonly by: string | readonly string[];
  /** The answer column; default `"value"`. */
  readonly answer?: string;
  /** The question's scale. */
  readonly scale: SurveyScale;
}

/**
 * Scores one question's answers per group: how many answered, the share of good answers
 * (top box) with its 95 % interval, the share of bad answers (bottom box), and the net score
 * (top box − bottom box, in points; for a 0–10 question this is NPS). Answers outside the
 * scale are not counted.
 *
 * @param df One row per answer.
 * @param options Groups, answer column and scale.
 * @returns The group columns, `answers`, `good`, `bad` (Int64), `top box %`, `low %`,
 *   `high %`, `bottom box %`, `net score` (Float64, one decimal); most answers first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { answerScale, scoreAnswers } from "./survey_scale.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ agent: ["a", "a", "a", "a"], value: ["Great", "Great", "OK", "Poor"] });
 * const scores = scoreAnswers(df, { by: "agent", scale: answerScale(df.getColumn("value").toArray()) });
 * assert.deepEqual(scores.select("agent", "answers", "top box %", "bottom box %", "net score").toRecords(), [
 *   { agent: "a", answers: 4, "top box %": 50, "bottom box %": 25, "net score": 25 },
 * ]);
 * ```
 */
export function scoreAnswers(df: pl.DataFrame, options: ScoreOptions): pl.DataFrame {
  const keys = typeof options.by === "string" ? [options.by] : [...options.by];
  const answer = pl.col(options.answer ?? "value");
  const { scale } = options;
  const counts = [
    pl.len().cast(pl.Int64).alias("answers"),
    answer.isIn([...scale.good]).cast(pl.Int64).sum().cast(pl.Int64).alias("good"),
    answer.isIn([...scale.bad]).cast(pl.Int64).sum().cast(pl.Int64).alias("bad"),
  ];
  const valid = df.filter(answer.isIn([...scale.levels]));
  const grouped = keys.length === 0 ? valid.select(...counts) : valid.groupBy(keys).agg(...counts);
  const percent = (x: number) => Math.round(x * 1000) / 10;
  const columns: Record<string, (number | null)[]> = {
    "top box %": [],
    "low %": [],
    "high %": [],
    "bottom box %": [],
    "net score": [],
  };
  for (const row of grouped.toRecords() as { answers: number; good: number; bad: number }[]) {
    const n = Number(row.answers);
    const [low, high] = wilsonInterval(Number(row.good), n);
    const top = n === 0 ? null : percent(Number(row.good) / n);
    const bottom = n === 0 ? null : percent(Number(row.bad) / n);
    columns["top box %"]!.push(top);
    columns["low %"]!.push(n === 0 ? null : percent(low));
    columns["high %"]!.push(n === 0 ? null : percent(high));
    columns["bottom box %"]!.push(bottom);
    columns["net score"]!.push(
      n === 0 ? null : percent((Number(row.good) - Number(row.bad)) / n),
    );
  }
  const out = grouped.withColumns(
    ...Object.entries(columns).map(([name, values]) => pl.Series(name, values, pl.Float64)),
  );
  return sortGroups(out, keys, "n", "answers");
}

function normalise(answer: string): string {
  return answer.trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!?]+$/, "");
}

function lowerKeys(tones: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(tones).map(([k, v]) => [normalise(k), v]));
}

function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

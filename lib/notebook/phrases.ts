/**
 * Frequent phrases (n-grams) in transcript lines: what visitors ask about and what agents
 * answer, beyond single-word counts.
 *
 * Words are runs of letters, digits and apostrophes in lower case (any script); links are left
 * out. A phrase is counted once per line that contains it, so one long line cannot dominate,
 * phrases that begin or end with a filler word ("the", "to", "you" …) are skipped, so that
 * "check your account" is kept and "check your" is not, and a phrase that occurs (almost) only
 * inside a longer frequent one is left out for it.
 *
 * @module
 */
import pl from "nodejs-polars";

/** Short English filler words that do not begin or end a phrase. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ("a an and are as at be but by can could did do does for from had has have how i i'm if in " +
    "is it it's its me my no not of on or our so that the their them then there this to us " +
    "was we were what when where which who will with would you your you're").split(" "),
);

/** A phrase is left out when a longer one that contains it occurs in this share of its lines. */
const SUBSUMED_SHARE = 0.9;

/** Options of {@linkcode topPhrases}. */
export interface PhraseOptions {
  /** Phrase lengths in words; default `[2, 3]`. */
  readonly sizes?: readonly number[];
  /** How many phrases to return; default 15. */
  readonly top?: number;
  /** Phrases in fewer lines than this are dropped; default 2. */
  readonly minLines?: number;
  /** Words that may not begin or end a phrase; default {@linkcode STOPWORDS}. */
  readonly stopwords?: ReadonlySet<string>;
}

/**
 * Splits text into lower-case words, without links.
 *
 * @param text A line of text.
 * @returns The words in order.
 *
 * @example
 * ```ts
 * import { words } from "./phrases.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(words("It's broken — see https://x.example/a?b=1, thanks!"), ["it's", "broken", "see", "thanks"]);
 * ```
 */
export function words(text: string): string[] {
  const withoutLinks = text.replace(/\b(?:https?:\/\/|www\.)\S+/giu, " ");
  return withoutLinks.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * The most frequent phrases in a set of lines.
 *
 * @param texts The lines (nulls allowed).
 * @param options Phrase lengths, how many, the least count, filler words.
 * @returns `{ phrase, words, lines }` sorted by lines (most first), then by phrase.
 *
 * @example
 * ```ts
 * import { topPhrases } from "./phrases.ts";
 * import assert from "node:assert/strict";
 *
 * const lines = ["My bill looks wrong", "the bill looks wrong again", "bill looks wrong bill looks wrong", "ok"];
 * // "bill looks" and "looks wrong" occur only inside "bill looks wrong".
 * assert.deepEqual(topPhrases(lines, { top: 2 }), [{ phrase: "bill looks wrong", words: 3, lines: 3 }]);
 * ```
 */
export function topPhrases(
  texts: Iterable<string | null | undefined>,
  options: PhraseOptions = {},
): { phrase: string; words: number; lines: number }[] {
  const sizes = options.sizes ?? [2, 3];
  const stop = options.stopwords ?? STOPWORDS;
  const minLines = options.minLines ?? 2;
  const counts = new Map<string, number>();
  for (const text of texts) {
    if (!text) continue;
    const tokens = words(text);
    const seen = new Set<string>();
    for (const size of sizes) {
      for (let i = 0; i + size <= tokens.length; i++) {
        if (stop.has(tokens[i]!) || stop.has(tokens[i + size - 1]!)) continue;
        seen.add(tokens.slice(i, i + size).join(" "));
      }
    }
    for (const phrase of seen) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  // A phrase inside a longer one that occurs (almost) as often says nothing the longer one
  // does not: "bill looks" is dropped for "bill looks wrong".
  const subsumed = new Set<string>();
  for (const [phrase, lines] of counts) {
    const tokens = phrase.split(" ");
    if (tokens.length < 2) continue;
    for (const part of [tokens.slice(0, -1), tokens.slice(1)]) {
      const shorter = part.join(" ");
      const shorterLines = counts.get(shorter);
      if (shorterLines !== undefined && lines >= SUBSUMED_SHARE * shorterLines) {
        subsumed.add(shorter);
      }
    }
  }
  return [...counts]
    .filter(([phrase, lines]) => lines >= minLines && !subsumed.has(phrase))
    .sort(([a, x], [b, y]) => (y - x) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.top ?? 15)
    .map(([phrase, lines]) => ({ phrase, words: phrase.split(" ").length, lines }));
}

/**
 * The most frequent phrases per group of lines, e.g. per speaker (`source`).
 *
 * @param lines A table of lines.
 * @param by The group column, e.g. `"source"`.
 * @param options Phrase options, plus `text`, the text column (default `"text"`).
 * @returns Columns `by`, `phrase` (Utf8), `words`, `lines` (Int64) and `share` (Float64,
 *   percent of the group's lines), groups in sorted order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { phrasesBy } from "./phrases.ts";
 * import assert from "node:assert/strict";
 *
 * const lines = pl.DataFrame({
 *   source: ["visitor", "visitor", "agent", "agent"],
 *   text: ["bill looks wrong", "my bill looks wrong", "let me check", "let me check that"],
 * });
 * const phrases = phrasesBy(lines, "source", { top: 1 });
 * assert.deepEqual(phrases.select("source", "phrase", "lines", "share").toRecords(), [
 *   { source: "agent", phrase: "let me check", lines: 2, share: 100 },
 *   { source: "visitor", phrase: "bill looks wrong", lines: 2, share: 100 },
 * ]);
 * ```
 */
export function phrasesBy(
  lines: pl.DataFrame,
  by: string,
  options: PhraseOptions & { readonly text?: string } = {},
): pl.DataFrame {
  const text = options.text ?? "text";
  const groups = [...new Set(lines.getColumn(by).toArray() as (string | null)[])]
    .filter((group): group is string => group !== null).sort();
  const rows: Record<string, unknown>[] = [];
  for (const group of groups) {
    const texts = lines.filter(pl.col(by).eq(pl.lit(group))).getColumn(text).toArray() as (
      | string
      | null
    )[];
    const total = texts.length;
    for (const found of topPhrases(texts, options)) {
      rows.push({
        [by]: group,
        ...found,
        share: total === 0 ? null : Math.round((1000 * found.lines) / total) / 10,
      });
    }
  }
  return pl.DataFrame(rows, {
    schema: { [by]: pl.Utf8, phrase: pl.Utf8, words: pl.Int64, lines: pl.Int64, share: pl.Float64 },
  });
}

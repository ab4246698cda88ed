import assert from "node:assert/strict";
import { parseDuration, ROUNDING_MS, splitIntoWindows } from "../lib/fetch/windows.ts";

const DAY = 86_400_000;

Deno.test("splitIntoWindows() covers the range with no gap and no overlap", () => {
  const from = Date.UTC(2024, 0, 1);
  const windows = splitIntoWindows({ from, to: from + 10 * DAY }, { windowMs: 3 * DAY });
  // Three-day steps counted from the epoch: 2024-01-01 is day 19723, one past a step.
  assert.deepEqual(windows.map((w) => (w.to - w.from) / DAY), [2, 3, 3, 2]);
  windows.slice(1).forEach((w, i) => assert.equal(w.from, windows[i]!.to));
  assert.equal(windows[0]!.from, from);
  assert.equal(windows.at(-1)!.to, from + 10 * DAY);
});

Deno.test("splitIntoWindows() widens an unaligned range to 10-minute bounds, like the API", () => {
  const from = Date.UTC(2024, 0, 1, 0, 3, 7);
  const to = Date.UTC(2024, 0, 1, 5, 41);
  const windows = splitIntoWindows({ from, to }, { windowMs: 2 * 3_600_000 });
  for (const w of windows) {
    assert.equal(w.from % ROUNDING_MS, 0);
    assert.equal(w.to % ROUNDING_MS, 0);
  }
  assert.equal(windows[0]!.from, Date.UTC(2024, 0, 1, 0, 0));
  assert.equal(windows.at(-1)!.to, Date.UTC(2024, 0, 1, 5, 50));
});

Deno.test("splitIntoWindows() puts windows on a fixed grid, whatever range asked for them", () => {
  // Midnight in India is 18:30 UTC: the days of that zone start and end inside UTC days.
  const from = Date.UTC(2023, 11, 31, 18, 30);
  const windows = splitIntoWindows({ from, to: from + 2 * DAY });
  assert.deepEqual(windows, [
    { from, to: Date.UTC(2024, 0, 1) },
    { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) },
    { from: Date.UTC(2024, 0, 2), to: from + 2 * DAY },
  ]);
  // A run from two hours before a midnight asks for the same whole days after it.
  const later = splitIntoWindows({ from: Date.UTC(2023, 11, 31, 22), to: Date.UTC(2024, 0, 3) });
  assert.deepEqual(later.slice(1), [
    { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) },
    { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 3) },
  ]);
});

Deno.test("splitIntoWindows() refuses windows longer than the API allows or not in 10-minute steps", () => {
  const range = { from: 0, to: 100 * DAY };
  assert.throws(
    () => splitIntoWindows(range, { windowMs: 32 * DAY, maxWindowMs: 31 * DAY }),
    /the API allows at most 31 days/,
  );
  assert.doesNotThrow(() => splitIntoWindows(range, { windowMs: 31 * DAY, maxWindowMs: 31 * DAY }));
  assert.throws(() => splitIntoWindows(range, { windowMs: 7 * 60_000 }), /multiple of 10 minutes/);
  assert.throws(() => splitIntoWindows({ from: 5, to: 5 }), /Empty time range/);
});

Deno.test("parseDuration() reads minutes, hours, days and weeks, and names bad input", () => {
  assert.equal(parseDuration("30m", "--window"), 30 * 60_000);
  assert.equal(parseDuration("1d", "--window"), DAY);
  assert.equal(parseDuration("2w", "--window"), 14 * DAY);
  assert.throws(() => parseDuration("1 day", "--window"), /Invalid --window "1 day"/);
  assert.throws(() => parseDuration("-1d", "--window"), /Invalid --window/);
});

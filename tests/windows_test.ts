import assert from "node:assert/strict";
import { parseDuration, ROUNDING_MS, splitIntoWindows } from "../lib/windows.ts";

const DAY = 86_400_000;

Deno.test("splitIntoWindows() covers the range with no gap and no overlap", () => {
  const from = Date.UTC(2024, 0, 1);
  const windows = splitIntoWindows({ from, to: from + 10 * DAY }, { windowMs: 3 * DAY });
  assert.deepEqual(windows.map((w) => (w.to - w.from) / DAY), [3, 3, 3, 1]);
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

Deno.test("splitIntoWindows() keeps a half-hour zone's days whole", () => {
  // Midnight in India is 18:30 UTC, which is on a 10-minute boundary.
  const from = Date.UTC(2023, 11, 31, 18, 30);
  const windows = splitIntoWindows({ from, to: from + 2 * DAY });
  assert.deepEqual(windows, [{ from, to: from + DAY }, { from: from + DAY, to: from + 2 * DAY }]);
});

Deno.test("splitIntoWindows() refuses windows longer than the API allows or not in 10-minute steps", () => {
  const range = { from: 0, to: 100 * DAY };
  assert.throws(
    () => splitIntoWindows(range, { windowMs: 32 * DAY, maxWindowMs: 31 * DAY }),
    /longer than the API allows/,
  );
  assert.doesNotThrow(() => splitIntoWindows(range, { windowMs: 31 * DAY, maxWindowMs: 31 * DAY }));
  assert.throws(() => splitIntoWindows(range, { windowMs: 7 * 60_000 }), /multiple of 10 minutes/);
  assert.throws(() => splitIntoWindows({ from: 5, to: 5 }), /Empty time range/);
});

Deno.test("parseDuration() reads minutes, hours, days and weeks, and names bad input", () => {
  assert.equal(parseDuration("30m"), 30 * 60_000);
  assert.equal(parseDuration("1d"), DAY);
  assert.equal(parseDuration("2w"), 14 * DAY);
  assert.throws(() => parseDuration("1 day"), /Invalid --window "1 day"/);
  assert.throws(() => parseDuration("-1d"), /Invalid --window/);
});

import assert from "node:assert/strict";
import { checkTimeZone, userDateRange } from "../lib/cli/dates.ts";
import { UsageError } from "../lib/errors.ts";
import { epochTextToIso, lpTimeTextToIso } from "../lib/tables/times.ts";
import { epochMsToIso, lpTimeToIso } from "../lib/time.ts";

const HOUR = 3_600_000;

Deno.test("userDateRange() reads --to as the last day, inclusive, in UTC by default", () => {
  assert.deepEqual(userDateRange("2024-01-01", "2024-01-31"), {
    from: Date.UTC(2024, 0, 1),
    to: Date.UTC(2024, 1, 1),
  });
  assert.deepEqual(userDateRange("2024-02-29", "2024-02-29"), {
    from: Date.UTC(2024, 1, 29),
    to: Date.UTC(2024, 2, 1),
  });
});

Deno.test("userDateRange() reads days in the given zone", () => {
  const range = userDateRange("2024-07-01", "2024-07-01", "Asia/Tokyo");
  assert.equal(range.from, Date.UTC(2024, 5, 30, 15));
  assert.equal(range.to - range.from, 24 * HOUR);
});

Deno.test("userDateRange() makes a spring-forward day 23 hours and a fall-back day 25", () => {
  const spring = userDateRange("2024-03-31", "2024-03-31", "Europe/Berlin");
  assert.equal(spring.from, Date.UTC(2024, 2, 30, 23));
  assert.equal(spring.to - spring.from, 23 * HOUR);
  const fall = userDateRange("2024-11-03", "2024-11-03", "America/New_York");
  assert.equal(fall.from, Date.UTC(2024, 10, 3, 4));
  assert.equal(fall.to - fall.from, 25 * HOUR);
});

Deno.test("userDateRange() starts a day whose midnight does not exist at the first real instant", () => {
  // Santiago springs forward at midnight: 2024-09-08 starts at 01:00 local (04:00 UTC).
  const range = userDateRange("2024-09-08", "2024-09-08", "America/Santiago");
  assert.equal(range.from, Date.UTC(2024, 8, 8, 4));
});

Deno.test("userDateRange() rejects bad dates, reversed ranges and unknown zones by name", () => {
  assert.throws(() => userDateRange("2024-13-01", "2024-12-01"), /Invalid --from "2024-13-01"/);
  assert.throws(() => userDateRange("2024-01-01", "2024/02/01"), /Invalid --to "2024\/02\/01"/);
  assert.throws(() => userDateRange("2023-02-29", "2023-03-01"), /--from "2023-02-29": no such/);
  assert.throws(
    () => userDateRange("2024-02-01", "2024-01-01"),
    (error) => error instanceof UsageError && /before --from/.test(error.message),
  );
  assert.throws(() => userDateRange("2024-01-01", "2024-01-02", "Europe/Atlantis"), /time zone/);
});

Deno.test("checkTimeZone() accepts IANA names and offsets", () => {
  assert.equal(checkTimeZone("Europe/London"), "Europe/London");
  assert.equal(checkTimeZone("+05:30"), "+05:30");
});

Deno.test("epochMsToIso() formats epoch ms as ISO UTC and maps sentinels to null", () => {
  assert.equal(epochMsToIso(0), "1970-01-01T00:00:00.000Z");
  assert.equal(epochMsToIso(1485969119916), "2017-02-01T17:11:59.916Z");
  assert.equal(epochMsToIso(" 1485969119916 "), "2017-02-01T17:11:59.916Z");
  for (const absent of [-1, "-1", "undefined", "null", "NA", "", null, undefined, NaN]) {
    assert.equal(epochMsToIso(absent), null, `sentinel ${String(absent)}`);
  }
});

Deno.test("lpTimeToIso() reads the space and T forms, with and without offset colons", () => {
  const expected = "2017-02-01T17:11:59.916Z";
  for (
    const text of [
      "2017-02-01 17:11:59.916+0000",
      "2017-02-01T17:11:59.916+0000",
      "2017-02-01T17:11:59.916+00:00",
      "2017-02-01T17:11:59.916Z",
      "2017-02-01T19:11:59.916+0200",
      "2017-02-01T12:11:59.916-05:00",
    ]
  ) {
    assert.equal(lpTimeToIso(text), expected, text);
  }
  assert.equal(lpTimeToIso("2017-02-01 17:11:59+0000"), "2017-02-01T17:11:59.000Z");
  assert.equal(lpTimeToIso(null), null);
  for (const text of ["yesterday", "undefined", ""]) {
    assert.throws(() => lpTimeToIso(text), /Not a LivePerson time/, text);
  }
});

Deno.test("the fast conversions of the tables step agree with Temporal's on every form", () => {
  const times = [
    "2017-02-01 17:11:59.916+0000",
    "2017-02-01T17:11:59.916Z",
    "2017-02-01T19:11:59.916+0200",
    "2016-02-29 23:59:59.999+0000",
    "2024-12-31T00:00:00.000+00:00",
  ];
  for (const text of times) assert.equal(lpTimeTextToIso(text), lpTimeToIso(text), text);
  for (const text of ["2017-02-30 17:11:59.916+0000", "2017-02-01 24:00:00.000+0000", "soon"]) {
    assert.equal(lpTimeTextToIso(text), undefined, text);
  }
  for (const ms of [0, 1, 999, 86_399_999, 951_782_400_000, 1_485_969_119_916, 253402300799999]) {
    assert.equal(epochTextToIso(String(ms)), epochMsToIso(ms), String(ms));
  }
  assert.equal(epochTextToIso("-1"), null);
});

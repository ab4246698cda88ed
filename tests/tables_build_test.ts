/**
 * buildTables() and `deno task tables` on hand-written raw pages: duplicates,
 * schema drift, missing nodes, malformed and missing input, exact number text,
 * the documentation's alternative spellings, and the data dictionary.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { UsageError } from "../lib/errors.ts";
import { buildTables } from "../lib/tables/build.ts";
import { dataDictionary } from "../scripts/tables_doc.ts";
import { type CsvRecord, readTableCsv } from "./helpers/read_csv.ts";
import { main } from "../scripts/tables.ts";
import { storeRawPage } from "./helpers/raw_pages.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);

/** Stores a page body (given as JSON text, so numbers can be written unquoted). */
const storePage = storeRawPage;

function page(...records: string[]): string {
  return `{"_metadata":{"count":${records.length}},"interactionHistoryRecords":[${
    records.join(",")
  }]}`;
}

function engagement(id: string, visitorName: string, lines: string[]): string {
  const lineObjects = lines.map((text, index) =>
    JSON.stringify({ timeL: T0 + index, text, source: "visitor" })
  );
  return `{"info":{"engagementId":"${id}","startTime":"2024-03-01 00:00:00.000+0000",` +
    `"startTimeL":${T0},"visitorName":${JSON.stringify(visitorName)}},` +
    `"transcript":{"lines":[${lineObjects.join(",")}]}}`;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tables_build_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function table(dir: string, name: string): Promise<CsvRecord[]> {
  return readTableCsv(`${dir}/tables/engagement-history/${name}.csv`);
}

Deno.test("buildTables() keeps the most recently fetched copy of a duplicate engagement", async () => {
  await withTempDir(async (dir) => {
    const raw = `${dir}/raw`;
    // Two overlapping windows: the later window was fetched first, the earlier one last.
    await storePage(raw, page(engagement("e1", "old copy", ["a", "b", "c"])), {
      windowStart: T0 + HOUR / 2,
      fetchedAt: new Date(T0 + 10 * HOUR),
    });
    await storePage(
      raw,
      page(engagement("e1", "new copy", ["only line"]), engagement("e2", "other", ["x"])),
      { windowStart: T0, fetchedAt: new Date(T0 + 20 * HOUR) },
    );
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: raw,
      outDir: `${dir}/tables`,
      formats: ["csv"],
    });
    assert.equal(summary.duplicatesDropped, 1);
    assert.equal(summary.recordsRead, 3);
    assert.equal(summary.records, 2);
    const interaction = await table(dir, "interaction");
    assert.deepEqual(
      interaction.map((row) => [row.engagementId, row.visitorName]).sort(),
      [["e1", "new copy"], ["e2", "other"]],
    );
    const lines = (await table(dir, "transcript_lines")).filter((row) => row.engagementId === "e1");
    assert.deepEqual(lines.map((row) => [row.position, row.text]), [["0", "only line"]]);
  });
});

Deno.test("buildTables() keeps an unknown field in extra and lists its path in the summary", async () => {
  await withTempDir(async (dir) => {
    const record = `{"info":{"engagementId":"e1","newField":123456789012345678901,` +
      `"duration":"n/a"},` +
      `"transcript":{"lines":[{"text":"hi","sentiment":{"score":0.50}}]},` +
      `"brandNewNode":{"a":[1,2]},` +
      `"sdes":{"events":[{"purchase":{"total":"5","coupon":"X|Y"}},{"loyalty":{"tier":"gold"}}]}}`;
    await storePage(`${dir}/raw`, page(record));
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    assert.deepEqual(summary.unknownFields, {
      "brandNewNode": 1,
      "info.newField": 1,
      "sdes.events[].loyalty": 1,
      "sdes.events[].purchase.coupon": 1,
      "transcript.lines[].sentiment": 1,
    });
    assert.deepEqual(summary.typeMismatches, { "interaction.duration": 1 });
    const [base] = await table(dir, "interaction");
    assert.equal(base?.duration, null);
    // Kept with the number's exact text, and the misfit value under its path.
    assert.equal(
      base?.extra,
      '{"info.newField":123456789012345678901,"brandNewNode":{"a":[1,2]},"info.duration":"n/a"}',
    );
    const [line] = await table(dir, "transcript_lines");
    assert.equal(line?.extra, '{"transcript.lines[].sentiment":{"score":0.50}}');
    const [purchase] = await table(dir, "sde_purchase");
    assert.equal(purchase?.total, "5");
    assert.equal(purchase?.extra, '{"sdes.events[].purchase.coupon":"X|Y"}');
    const [other] = await table(dir, "sde_other");
    assert.equal(other?.position, "1");
    assert.equal(other?.event, '{"loyalty":{"tier":"gold"}}');
  });
});

Deno.test("buildTables() keeps a JSON number that is not an integer out of an integer column, in extra", async () => {
  await withTempDir(async (dir) => {
    // Every number of the first page prints back as written, so it is parsed into plain JS
    // numbers; the second page's numbers do not, so they are kept as their source text.
    await storePage(
      `${dir}/raw`,
      page(
        `{"info":{"engagementId":"e1","duration":42}}`,
        `{"info":{"engagementId":"e2","duration":1.5}}`,
        `{"info":{"engagementId":"e3","duration":9007199254740992}}`,
        `{"info":{"engagementId":"e4","duration":1e+21}}`,
      ),
    );
    await storePage(
      `${dir}/raw`,
      page(
        `{"info":{"engagementId":"e5","duration":1e21}}`,
        `{"info":{"engagementId":"e6","duration":9007199254740993}}`,
      ),
      { windowStart: T0 + HOUR },
    );
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    assert.deepEqual(summary.typeMismatches, { "interaction.duration": 3 });
    const rows = await table(dir, "interaction");
    assert.deepEqual(rows.map((row) => [row.engagementId, row.duration, row.extra]), [
      ["e1", "42", null],
      ["e2", null, '{"info.duration":1.5}'],
      ["e3", "9007199254740992", null],
      ["e4", null, '{"info.duration":1e+21}'],
      ["e5", null, '{"info.duration":1e21}'],
      ["e6", "9007199254740993", null],
    ]);
  });
});

Deno.test("buildTables() writes a record with missing nodes as one base row and no child rows", async () => {
  await withTempDir(async (dir) => {
    const record = `{"info":{"engagementId":"e1","endTime":"undefined","endTimeL":-1},` +
      `"transcript":{"lines":null},"sdes":null}`;
    await storePage(`${dir}/raw`, page(record));
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    assert.equal(summary.rows.interaction, 1);
    for (const [name, rows] of Object.entries(summary.rows)) {
      if (name !== "interaction") assert.equal(rows, 0, name);
    }
    assert.deepEqual(summary.unknownFields, {});
    const [base] = await table(dir, "interaction");
    assert.equal(base?.engagementId, "e1");
    assert.equal(base?.campaign_campaignId, null);
    assert.equal(base?.visitorInfo_country, null);
    // Sentinels of an open chat are null.
    assert.equal(base?.endTime, null);
    assert.equal(base?.endTimeL, null);
    assert.equal(base?.endTimeL_iso, null);
  });
});

Deno.test("buildTables() keeps ids and numbers as the exact text the server sent", async () => {
  await withTempDir(async (dir) => {
    const record = `{"info":{"engagementId":123456789012345678,"agentId":900719925474099312,` +
      `"duration":12,"visitorName":"","chatStartPage":null},` +
      `"sdes":{"events":[{"cartStatus":{"total":77.0,"numItems":"6","serverTimeStamp":"1440412721832",` +
      `"products":[{"quantity":"1","product":{"name":"a|b \\"c\\"\\r\\nd","price":"7.80"}}]}}]}}`;
    await storePage(`${dir}/raw`, page(record));
    await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    const [base] = await table(dir, "interaction");
    assert.equal(base?.engagementId, "123456789012345678");
    assert.equal(base?.agentId, "900719925474099312");
    // Null and the empty string stay apart, in the file and when read back.
    assert.equal(base?.visitorName, "");
    assert.equal(base?.chatStartPage, null);
    const text = await Deno.readTextFile(`${dir}/tables/engagement-history/interaction.csv`);
    assert.match(text.split("\n")[1] ?? "", /^123456789012345678\|/);
    assert.ok(text.includes('|""|'), "the empty string is written as a quoted empty field");
    const [cart] = await table(dir, "sde_cart_status");
    assert.equal(cart?.total, "77.0");
    assert.equal(cart?.serverTimeStamp_iso, "2015-08-24T10:38:41.832Z");
    const [product] = await table(dir, "sde_cart_status_products");
    assert.equal(product?.product_name, 'a|b "c"\r\nd');
    assert.equal(product?.product_price, "7.80");
    assert.equal(product?.eventPosition, "0");
  });
});

Deno.test("buildTables() reads the spellings of LivePerson's method example like the appendix's", async () => {
  await withTempDir(async (dir) => {
    const record = `{"info":{"engagementId":"e1"},"sdes":{"events":[` +
      `{"viewProduct":{"serverTimeStamp":"1434394466093","products":[{"quantity":null,` +
      `"product":{"name":"shoe","sku":"xyz567"}}]}},` +
      `{"formFillingError":{"visitorError":{"contextId":"context.id",` +
      `"message":{"string":"Expiration date missing"},"code":{"string":"er100004"},` +
      `"level":"2","resolved":"true"}}},` +
      `{"personalInfo":{"serverTimeStamp":"1436436923641","name":"ELI","customerAge":` +
      `{"customerAgeInYears":"35.0"},"contacts":[{"personalContact":{"email":"m@example.com",` +
      `"address":{"zipCode":12345}}}]}},` +
      `{"customerInfo":{"customerInfo":{"Currency":"USD","socialId":4444}}}]}}`;
    await storePage(`${dir}/raw`, page(record));
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    assert.deepEqual(summary.unknownFields, {});
    const [viewed] = await table(dir, "sde_viewed_product");
    assert.equal(viewed?.event_typeKey, "viewProduct");
    assert.equal(viewed?.position, "0");
    const [product] = await table(dir, "sde_viewed_product_products");
    assert.deepEqual([product?.product_name, product?.product_sku], ["shoe", "xyz567"]);
    const [error] = await table(dir, "sde_visitor_error");
    assert.deepEqual(
      [error?.event_typeKey, error?.message, error?.code, error?.level, error?.resolved],
      ["formFillingError", "Expiration date missing", "er100004", "2", "true"],
    );
    const [person] = await table(dir, "sde_personal_info");
    assert.deepEqual([person?.name, person?.customerAge_customerAgeInYears], ["ELI", "35.0"]);
    const [contact] = await table(dir, "sde_personal_info_contacts");
    assert.deepEqual([contact?.email, contact?.address_zipCode, contact?.eventPosition], [
      "m@example.com",
      "12345",
      "2",
    ]);
    const [customer] = await table(dir, "sde_customer_info");
    assert.deepEqual([customer?.currency, customer?.socialId], ["USD", "4444"]);
  });
});

Deno.test("buildTables() names a page altered after it was fetched and leaves the previous tables untouched", async () => {
  await withTempDir(async (dir) => {
    const raw = `${dir}/raw`;
    await storePage(raw, page(engagement("e1", "v", ["a"])));
    await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: raw,
      outDir: `${dir}/tables`,
      formats: ["csv"],
    });
    const before = await Deno.readTextFile(`${dir}/tables/engagement-history/interaction.csv`);
    await storePage(raw, page(engagement("e2", "w", ["b"])), { offset: 100 });
    const stored = `${raw}/engagement-history/20240301T000000Z_20240301T010000Z/offset-000100.json`;
    for (
      const broken of ['{"_metadata":{"count":1},"interactionHistoryRecords":[{"info":', '{"x":1}']
    ) {
      await Deno.writeTextFile(stored, broken);
      await assert.rejects(
        () =>
          buildTables({
            source: ENGAGEMENT_HISTORY_SOURCE,
            inDir: raw,
            outDir: `${dir}/tables`,
            formats: ["csv"],
          }),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, /offset-000100\.json \((shorter|its content differs)/);
          assert.match(error.message, /deno task fetch/);
          return true;
        },
      );
    }
    assert.equal(
      await Deno.readTextFile(`${dir}/tables/engagement-history/interaction.csv`),
      before,
    );
    const leftovers = [];
    for await (const entry of Deno.readDir(`${dir}/tables`)) leftovers.push(entry.name);
    assert.deepEqual(leftovers.sort(), ["_lp_history.json", "engagement-history"]);
  });
});

Deno.test("buildTables() tells the user to run deno task fetch when the input folder is empty", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/raw`);
    await assert.rejects(
      () =>
        buildTables({
          source: ENGAGEMENT_HISTORY_SOURCE,
          inDir: `${dir}/raw`,
          outDir: `${dir}/tables`,
        }),
      (error: unknown) =>
        error instanceof UsageError && /No raw pages in .*run `deno task fetch` first/
          .test(error.message),
    );
    await assert.rejects(
      () =>
        buildTables({
          source: ENGAGEMENT_HISTORY_SOURCE,
          inDir: `${dir}/missing`,
          outDir: `${dir}/tables`,
        }),
      /does not exist: run `deno task fetch` first/,
    );
    await assert.rejects(() => Deno.stat(`${dir}/tables`), Deno.errors.NotFound);
  });
});

Deno.test("main() builds the tables, and throws a UsageError for bad input", async () => {
  await withTempDir(async (dir) => {
    await storePage(`${dir}/raw`, page(engagement("e1", "v", ["a"])));
    const log = console.log;
    console.log = () => {};
    try {
      assert.equal(
        await main(["--in", `${dir}/raw`, "--out", `${dir}/tables`, "--format", "parquet"]),
        0,
      );
      await assert.rejects(() => main(["--in", `${dir}/empty`, "--out", `${dir}/t2`]), UsageError);
      await assert.rejects(() => main(["--format", "xlsx"]), UsageError);
      await assert.rejects(() => main(["--nope"]), UsageError);
      assert.equal(await main(["--help"]), 0);
    } finally {
      console.log = log;
    }
    const files = [];
    for await (const entry of Deno.readDir(`${dir}/tables/engagement-history`)) {
      files.push(entry.name);
    }
    assert.ok(files.includes("interaction.parquet") && files.includes("_summary.json"));
    assert.ok(!files.some((name) => name.endsWith(".csv") || name === ".csv"));
  });
});

Deno.test("docs/TABLES.md is generated from the catalogues and up to date", async () => {
  const committed = await Deno.readTextFile(new URL("../docs/TABLES.md", import.meta.url));
  assert.ok(
    committed === dataDictionary(),
    "docs/TABLES.md is stale: run `deno task docs` and commit it",
  );
});

Deno.test("buildTables() keeps a field named __proto__ like any other unknown field", async () => {
  await withTempDir(async (dir) => {
    const record = `{"info":{"engagementId":"e1","__proto__":{"x":1}},"__proto__":"top"}`;
    await storePage(`${dir}/raw`, page(record));
    const summary = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
    });
    assert.deepEqual(Object.entries(summary.unknownFields), [["__proto__", 1], [
      "info.__proto__",
      1,
    ]]);
    const [base] = await table(dir, "interaction");
    assert.equal(base?.extra, '{"info.__proto__":{"x":1},"__proto__":"top"}');
  });
});

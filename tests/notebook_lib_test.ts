import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import * as Plot from "@observablehq/plot";
import { castToModel, loadTable, PROJECT_ROOT, tablesDir } from "../lib/notebook/load.ts";
import { existsSync } from "node:fs";
import { loadTable as loadModelTable } from "../lib/notebook/mod.ts";
import { plotSvg } from "../lib/notebook/chart.ts";
import { tableBundle } from "../lib/notebook/display.ts";
import { inspectNotebook, installKernel } from "../lib/notebook/jupyter.ts";
import { countBy, tableSummary } from "../lib/notebook/summary.ts";
import { csvLine } from "../lib/tables/csv_writer.ts";
import { tableByName } from "../lib/tables/schema.ts";
import { ENGAGEMENT_HISTORY_SCHEMA } from "../lib/sources/engagement_history/tables.ts";
import { csvToParquet } from "../lib/tables/parquet.ts";
import { SCHEMA_FILE, schemaFile } from "../lib/tables/schema_file.ts";

const ENGAGEMENT_ID = "904123774000000045";

/**
 * Writes an `interaction` CSV with the schema's full header and two rows, and `_schema.json`, as
 * the tables step does.
 */
async function writeInteraction(dir: string): Promise<string> {
  const table = tableByName(ENGAGEMENT_HISTORY_SCHEMA, "interaction");
  await Deno.writeTextFile(
    join(dir, SCHEMA_FILE),
    JSON.stringify(schemaFile(ENGAGEMENT_HISTORY_SCHEMA, ["csv"])),
  );
  const header = table.columns.map((c) => c.name);
  const row = (values: Record<string, string | null>) => header.map((name) => values[name] ?? null);
  const path = join(dir, "interaction.csv");
  await Deno.writeTextFile(
    path,
    csvLine(header) +
      csvLine(row({
        engagementId: ENGAGEMENT_ID,
        startTime: "2024-01-01T10:15:00.123Z",
        startTimeL: "1704104100123",
        duration: "95",
        agentId: "00042",
        skillId: "21",
        agentFullName: 'Sam "Sunny" | O\'Hara\nsecond line',
        visitorName: "",
        isInteractive: "true",
        chatMCS: "48",
      })) +
      csvLine(row({
        engagementId: "904123774000000069",
        startTime: "2024-01-02T23:00:00.000Z",
        startTimeL: "1704236400000",
        duration: "510",
        agentId: "3",
        skillId: "-1",
        isInteractive: "false",
      })),
  );
  return path;
}

Deno.test("loadTable() types CSV columns by the model: ids Utf8, counts Int64, times Datetime", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeInteraction(dir);
    const interaction = await loadModelTable("interaction", { dir, format: "csv" });
    const dtype = (name: string) => String(interaction.getColumn(name).dtype);
    assert.equal(dtype("engagementId"), "DataType(String)");
    assert.equal(dtype("agentId"), "DataType(String)");
    assert.equal(dtype("skillId"), "DataType(String)");
    assert.equal(dtype("duration"), "DataType(Int64)");
    assert.equal(dtype("startTimeL"), "DataType(Int64)");
    assert.equal(dtype("startTime"), "DataType(Datetime(ms,UTC))");
    assert.equal(dtype("isInteractive"), "DataType(Bool)");
    const first = interaction.toRecords()[0] as Record<string, unknown>;
    assert.equal(first.engagementId, ENGAGEMENT_ID, "an 18-digit id is never rounded");
    assert.equal(first.agentId, "00042", "leading zeros of ids survive");
    assert.equal(first.agentFullName, 'Sam "Sunny" | O\'Hara\nsecond line');
    assert.equal(first.visitorName, "", "a quoted empty field is the empty string");
    assert.equal(first.agentNickName, null, "an empty field is null");
    assert.equal((first.startTime as Date).toISOString(), "2024-01-01T10:15:00.123Z");
    assert.equal(first.isInteractive, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadTable() prefers Parquet and gives the same types as from CSV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = await writeInteraction(dir);
    const fromCsv = await loadModelTable("interaction", { dir });
    csvToParquet(
      csv,
      join(dir, "interaction.parquet"),
      tableByName(ENGAGEMENT_HISTORY_SCHEMA, "interaction"),
    );
    await Deno.remove(csv);
    const fromParquet = await loadModelTable("interaction", { dir });
    assert.deepEqual(fromParquet.dtypes.map(String), fromCsv.dtypes.map(String));
    assert.equal(fromParquet.getColumn("engagementId").get(0), ENGAGEMENT_ID);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadTable() names the folder and the fix when a table is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.throws(
      () => loadTable("interaction", { dir }),
      /no interaction\.parquet or interaction\.csv/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("castToModel() rejects text that is not an ISO-8601 timestamp instead of nulling it", () => {
  const df = pl.DataFrame({ startTime: ["2024-01-01T00:00:00Z", "yesterday", null, ""] });
  const model = {
    name: "t",
    primaryKey: [],
    columns: [{ name: "startTime", type: "timestamp" as const }],
  };
  assert.throws(() => castToModel(df, model), /1 value\(s\) that are not ISO-8601/);
  const ok = castToModel(df.head(1), model);
  assert.equal(String(ok.getColumn("startTime").dtype), "DataType(Datetime(ms,UTC))");
});

Deno.test("castToModel() turns UInt64 columns the model does not know into Int64", () => {
  const df = pl.DataFrame({ n: [1, 2] }).withColumns(pl.col("n").cast(pl.UInt64));
  assert.equal(String(castToModel(df).getColumn("n").dtype), "DataType(Int64)");
});

Deno.test("tablesDir() prefers $LP_TABLES_DIR, then data/tables, then the demo's tables", async () => {
  const root = await Deno.makeTempDir();
  try {
    const env = () => undefined;
    assert.equal(tablesDir({ env, root }), join(root, "data", "tables"));
    await Deno.mkdir(join(root, "data", "demo", "tables"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "data", "demo", "tables", "interaction.csv"),
      "engagementId\n",
    );
    assert.equal(tablesDir({ env, root }), join(root, "data", "demo", "tables"));
    await Deno.mkdir(join(root, "data", "tables"), { recursive: true });
    await Deno.writeTextFile(join(root, "data", "tables", "interaction.parquet"), "");
    assert.equal(tablesDir({ env, root }), join(root, "data", "tables"));
    assert.equal(tablesDir({ env: () => "/srv/t", root }), "/srv/t");
    assert.equal(
      tablesDir({ env: () => "data/demo/tables", root }),
      join(root, "data", "demo", "tables"),
      "a relative LP_TABLES_DIR is resolved from the project root",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("tablesDir() resolves a relative LP_TABLES_DIR from the project root whatever the current folder", () => {
  const before = Deno.cwd();
  try {
    Deno.chdir(join(PROJECT_ROOT, "notebooks"));
    assert.equal(
      tablesDir({ env: () => "data/demo/tables" }),
      join(PROJECT_ROOT, "data", "demo", "tables"),
    );
  } finally {
    Deno.chdir(before);
  }
  assert.ok(existsSync(join(PROJECT_ROOT, "deno.json")), "PROJECT_ROOT holds deno.json");
});

Deno.test("plotSvg() returns a standalone SVG with title, axis labels and an in-image legend", () => {
  const data = [
    { hour: 0, skill: "Sales", n: 3 },
    { hour: 1, skill: "Support & <Billing>", n: 5 },
  ];
  const svg = plotSvg({
    title: "Engagements by hour",
    subtitle: "demo",
    x: { label: "Hour of day" },
    y: { label: "Engagements" },
    color: { legend: true },
    marks: [Plot.barY(data, { x: "hour", y: "n", fill: "skill" })],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
  assert.ok(svg.includes("<title>Engagements by hour</title>"));
  assert.ok(svg.includes("Hour of day"));
  assert.ok(svg.includes("Engagements"));
  assert.ok(svg.includes("Support &amp; &lt;Billing&gt;"), "legend entries are escaped");
  assert.ok(!svg.includes("<figure"), "no HTML wrapper");
  assert.equal((svg.match(/<svg/g) ?? []).length, 1, "one svg element");
});

Deno.test("plotSvg() requires a title", () => {
  assert.throws(() => plotSvg({ title: " ", marks: [] }), TypeError);
});

Deno.test("tableBundle() shows the head with dtypes and never prints Int64 counts as floats", () => {
  const df = countBy(pl.DataFrame({ source: ["agent", "visitor", "agent"] }), "source");
  const bundle = tableBundle(df, { rows: 1 });
  assert.ok(bundle["text/html"]?.includes("first 1 of 2 rows × 2 columns"));
  assert.ok(bundle["text/html"]?.includes("Int64"));
  assert.ok(bundle["text/html"]?.includes('<td style="text-align:left">2</td>'));
});

Deno.test("tableSummary() lists tables with Int64 sizes and model keys", () => {
  const summary = tableSummary(
    {
      interaction: pl.DataFrame({ engagementId: ["1"] }),
      transcript_lines: pl.DataFrame({ a: [] }),
    },
    [
      tableByName(ENGAGEMENT_HISTORY_SCHEMA, "interaction"),
      tableByName(ENGAGEMENT_HISTORY_SCHEMA, "transcript_lines"),
    ],
  );
  assert.deepEqual(summary.dtypes.map(String), [
    "DataType(String)",
    "DataType(Int64)",
    "DataType(Int64)",
    "DataType(String)",
  ]);
  assert.deepEqual(summary.getColumn("primaryKey").toArray(), [
    "engagementId",
    "engagementId, position",
  ]);
});

Deno.test("inspectNotebook() counts charts in text/html, errors in stderr and lost outputs", () => {
  const numbered = (output: number) => ({ lp_history: { output } });
  const report = inspectNotebook(JSON.stringify({
    cells: [
      { cell_type: "markdown", source: ["# t"] },
      {
        cell_type: "code",
        execution_count: 1,
        outputs: [{
          output_type: "display_data",
          data: { "text/html": ["<div><svg viewBox='0 0 1 1'>", "</svg></div>"] },
          metadata: numbered(1),
        }],
      },
      {
        cell_type: "code",
        execution_count: 2,
        outputs: [{ output_type: "stream", name: "stderr", text: "Uncaught Error: boom\n" }],
      },
      { cell_type: "code", execution_count: null, outputs: [] },
      {
        cell_type: "code",
        execution_count: 3,
        source: ["await showTable(df);"],
        outputs: [{
          output_type: "display_data",
          data: { "text/plain": "t" },
          metadata: numbered(4),
        }],
      },
    ],
  }));
  assert.deepEqual(report, {
    codeCells: 4,
    executedCells: 3,
    errors: ["Uncaught Error: boom"],
    charts: 1,
    lostOutputs: 2,
  });
});

Deno.test("installKernel() writes a kernelspec that starts Deno through npx, in the given folder only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = installKernel(dir);
    assert.equal(path, join(dir, "kernels", "deno", "kernel.json"));
    const spec = JSON.parse(await Deno.readTextFile(path));
    assert.match(spec.argv[0], /(^|\/)npx$/, "npx, not a binary inside the npx cache");
    assert.deepEqual(spec.argv.slice(1), [
      "-y",
      `deno@${Deno.version.deno}`,
      "jupyter",
      "--kernel",
      "--conn",
      "{connection_file}",
    ]);
    assert.ok(!JSON.stringify(spec).includes("_npx"), "no path into the npx cache");
    assert.equal(spec.language, "typescript");
    const direct = JSON.parse(
      await Deno.readTextFile(installKernel(dir, { denoPath: "/opt/deno" })),
    );
    assert.deepEqual(direct.argv.slice(0, 2), ["/opt/deno", "jupyter"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

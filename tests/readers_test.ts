/**
 * The read recipes (lib/notebook/read_recipes.ts), run as written on the
 * tables of both sources built from the simulator: nodejs-polars and DuckDB
 * read every table's CSV and Parquet, pandas every CSV (through Debian's
 * python3-pandas, SKIPPED where it is absent), and the notebook loader both
 * formats. Every column must come back with its reader's type for the schema
 * type and every value must equal the CSV cell: ids text, times instants,
 * booleans booleans, and null apart from the empty string (an empty
 * transcript line and an empty message beside ones without text). Spark is not
 * available here: its recipe is checked for its structure and Python syntax.
 */

import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import pl from "nodejs-polars";
import { DuckDBInstance, DuckDBTimestampTZValue } from "@duckdb/node-api";
import { loadTables } from "../lib/notebook/mod.ts";
import { duckdbSchemaName, readRecipes, type RecipeSchema } from "../lib/notebook/read_recipes.ts";
import { identifier, READER_TYPES } from "../lib/notebook/reader_types.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import { readingGuide } from "../scripts/tables_doc.ts";
import type { ColumnType } from "../lib/tables/schema.ts";
import { type SchemaFile, schemaFile, type SchemaFileTable } from "../lib/tables/schema_file.ts";
import { type CsvRecord, readTableCsv } from "./helpers/read_csv.ts";
import {
  buildReaderFixture,
  FIXTURE_SOURCES,
  type SourceFixture,
} from "./helpers/reader_fixture.ts";
import { anyPython, pandasPython, pythonSyntaxError, runPythonRecipe } from "./helpers/python.ts";

/** A value as every reader can give it: integers as digits, times as epoch ms. */
type Canonical = string | number | boolean | null;

/** A table as a reader read it: its columns' types and values, in file order. */
interface ReadTable {
  readonly dtypes: Record<string, string>;
  readonly values: Record<string, Canonical[]>;
}

let fixture: ReturnType<typeof buildReaderFixture> | undefined;
let fixtureRoot: string | undefined;
function tables() {
  fixture ??= buildReaderFixture().then((built) => {
    fixtureRoot = built.root;
    return built;
  });
  return fixture;
}
globalThis.addEventListener("unload", () => {
  if (fixtureRoot) Deno.removeSync(fixtureRoot, { recursive: true });
});

function schemaOf(source: SourceFixture): SchemaFile {
  return JSON.parse(Deno.readTextFileSync(`${source.dir}/_schema.json`));
}

/** What a cell of the CSV means, in the canonical form. */
function expected(type: ColumnType, cell: string | null): Canonical {
  if (cell === null) return null;
  switch (type) {
    case "integer":
      return BigInt(cell).toString();
    case "float":
      return Number(cell);
    case "boolean":
      assert.ok(cell === "true" || cell === "false", `boolean cell ${cell}`);
      return cell === "true";
    case "timestamp":
      return Date.parse(cell);
    case "string":
    case "json":
      return cell;
  }
}

function assertReadRight(
  label: string,
  table: SchemaFileTable,
  rows: readonly CsvRecord[],
  read: ReadTable,
  dtypeOf: (type: ColumnType) => string,
  options: { emptyTextIsMissing?: boolean } = {},
): void {
  assert.deepEqual(Object.keys(read.dtypes), table.columns.map((column) => column.name), label);
  for (const column of table.columns) {
    assert.equal(read.dtypes[column.name], dtypeOf(column.type), `${label}.${column.name} type`);
    const want = rows.map((row) => {
      const cell = row[column.name] ?? null;
      const text = column.type === "string" || column.type === "json";
      return expected(column.type, options.emptyTextIsMissing && text && cell === "" ? null : cell);
    });
    assert.deepEqual(read.values[column.name], want, `${label}.${column.name} values`);
  }
}

/** Reads every table's CSV rows, the reference every reader is held to. */
async function csvRows(source: SourceFixture): Promise<Map<string, CsvRecord[]>> {
  const rows = new Map<string, CsvRecord[]>();
  for (const table of schemaOf(source).tables) {
    rows.set(table.name, await readTableCsv(`${source.dir}/${table.name}.csv`));
  }
  return rows;
}

/** The fixture's "" and null cells, as read by a reader. */
function assertFixtureCells(
  source: SourceFixture,
  rows: Map<string, CsvRecord[]>,
  read: (table: string) => ReadTable,
  options: { emptyTextIsMissing?: boolean } = {},
): void {
  for (const cell of source.cells) {
    const index = rows.get(cell.table)!.findIndex((row) =>
      Object.entries(cell.key).every(([name, value]) => row[name] === value)
    );
    assert.ok(index >= 0, `fixture row ${JSON.stringify(cell.key)} in ${cell.table}`);
    const want = options.emptyTextIsMissing ? null : cell.value;
    assert.strictEqual(read(cell.table).values[cell.column]![index], want, JSON.stringify(cell));
  }
  assert.deepEqual(source.cells.map((cell) => cell.value), ["", null]);
}

// ---- nodejs-polars -------------------------------------------------------

const POLARS_DTYPES: Record<ColumnType, string> = {
  string: "DataType(String)",
  json: "DataType(String)",
  integer: "DataType(Int64)",
  float: "DataType(Float64)",
  boolean: "DataType(Bool)",
  timestamp: "DataType(Datetime(ms,UTC))",
};

function fromPolars(frame: pl.DataFrame, table: SchemaFileTable): ReadTable {
  const dtypes: Record<string, string> = {};
  const values: Record<string, Canonical[]> = {};
  const types = new Map(table.columns.map((column) => [column.name, column.type]));
  for (const name of frame.columns) {
    const series = frame.getColumn(name);
    dtypes[name] = String(series.dtype);
    const type = types.get(name);
    values[name] = (series.toArray() as unknown[]).map((value): Canonical => {
      if (value === null || value === undefined) return null;
      if (value instanceof Date) return value.getTime();
      if (type === "integer") return BigInt(value as number | bigint).toString();
      return value as Canonical;
    });
  }
  return { dtypes, values };
}

/** Runs the nodejs-polars recipe as a module and returns the frames it binds. */
async function runNodejsPolarsRecipe(
  schema: RecipeSchema,
  folder: string,
  format: "csv" | "parquet",
): Promise<Record<string, pl.DataFrame>> {
  const code = readRecipes(schema, { folder, format }).nodejsPolars;
  const names = schema.tables.map((table) => table.name);
  const path = await Deno.makeTempFile({ dir: folder, prefix: "_recipe_", suffix: ".ts" });
  try {
    await Deno.writeTextFile(path, `${code}\nexport { ${names.join(", ")} };\n`);
    return await import(pathToFileURL(path).href);
  } finally {
    await Deno.remove(path);
  }
}

for (const format of ["csv", "parquet"] as const) {
  for (const [index, { name: sourceName }] of FIXTURE_SOURCES.entries()) {
    Deno.test(`nodejs-polars reads every ${format} table of ${sourceName} with the recipe`, async () => {
      const source = (await tables()).sources[index]!;
      const schema = schemaOf(source);
      const rows = await csvRows(source);
      const frames = await runNodejsPolarsRecipe(schema, source.dir, format);
      const read = (name: string) => fromPolars(frames[name]!, tableOf(schema, name));
      for (const table of schema.tables) {
        const label = `${source.source.name} ${format} ${table.name}`;
        assertReadRight(
          label,
          table,
          rows.get(table.name)!,
          read(table.name),
          (type) => POLARS_DTYPES[type],
        );
      }
      assertFixtureCells(source, rows, read);
    });
  }
}

function tableOf(schema: SchemaFile, name: string): SchemaFileTable {
  return schema.tables.find((table) => table.name === name)!;
}

Deno.test("the notebook loader types every column of both sources from _schema.json", async () => {
  for (const source of (await tables()).sources) {
    const schema = schemaOf(source);
    const rows = await csvRows(source);
    for (const format of ["csv", "parquet"] as const) {
      const frames = await loadTables({ dir: source.dir, format });
      const read = (name: string) => fromPolars(frames[name]!, tableOf(schema, name));
      for (const table of schema.tables) {
        const label = `loadTables ${source.source.name} ${format} ${table.name}`;
        assertReadRight(
          label,
          table,
          rows.get(table.name)!,
          read(table.name),
          (type) => POLARS_DTYPES[type],
        );
      }
      assertFixtureCells(source, rows, read);
    }
  }
});

// ---- DuckDB --------------------------------------------------------------

const DUCKDB_DTYPES: Record<string, string> = { TIMESTAMPTZ: "TIMESTAMP WITH TIME ZONE" };

for (const format of ["csv", "parquet"] as const) {
  for (const [index, { name: sourceName }] of FIXTURE_SOURCES.entries()) {
    Deno.test(`DuckDB reads every ${format} table of ${sourceName} with the recipe`, async () => {
      const source = (await tables()).sources[index]!;
      const schema = schemaOf(source);
      const rows = await csvRows(source);
      const instance = await DuckDBInstance.create(":memory:");
      const connection = await instance.connect();
      try {
        await connection.run(readRecipes(schema, { folder: source.dir, format }).duckdb);
        const read = new Map<string, ReadTable>();
        for (const table of schema.tables) {
          const result = await connection.runAndReadAll(
            `SELECT * FROM ${duckdbSchemaName(schema.source)}."${table.name}"`,
          );
          const dtypes: Record<string, string> = {};
          const values: Record<string, Canonical[]> = {};
          const columns = result.getColumns();
          result.columnNames().forEach((name, column) => {
            dtypes[name] = String(result.columnTypes()[column]);
            // A result without rows has no column arrays.
            values[name] = (columns[column] ?? []).map((value): Canonical => {
              if (value instanceof DuckDBTimestampTZValue) return Number(value.micros / 1000n);
              if (typeof value === "bigint") return value.toString();
              return value as Canonical;
            });
          });
          read.set(table.name, { dtypes, values });
          assertReadRight(
            `DuckDB ${source.source.name} ${format} ${table.name}`,
            table,
            rows.get(table.name)!,
            read.get(table.name)!,
            (type) => DUCKDB_DTYPES[READER_TYPES[type].duckdb] ?? READER_TYPES[type].duckdb,
          );
        }
        assertFixtureCells(source, rows, (name) => read.get(name)!);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });
  }
}

// ---- pandas --------------------------------------------------------------

const python = pandasPython();
if (!python) {
  console.warn(
    "SKIPPED: the pandas recipe tests: no python3 with pandas here " +
      "(on Debian: apt-get install python3-pandas)",
  );
}

for (const [index, { name: sourceName }] of FIXTURE_SOURCES.entries()) {
  Deno.test({
    name: `pandas reads every csv table of ${sourceName} with the recipe ("" reads as missing)`,
    ignore: !python,
    async fn() {
      const source = (await tables()).sources[index]!;
      const schema = schemaOf(source);
      const rows = await csvRows(source);
      const code = readRecipes(schema, { folder: source.dir }).pandas;
      const read = await runPythonRecipe(python!, code, schema.tables.map((table) => table.name));
      for (const table of schema.tables) {
        assertReadRight(
          `pandas ${source.source.name} ${table.name}`,
          table,
          rows.get(table.name)!,
          read[table.name]!,
          (type) => READER_TYPES[type].pandas,
          { emptyTextIsMissing: true },
        );
      }
      // pandas cannot see quotes: the documented limit, checked so the docs stay true.
      assertFixtureCells(source, rows, (name) => read[name]!, { emptyTextIsMissing: true });
    },
  });
}

// ---- Spark and Python polars: structure and syntax -----------------------

/** The lines of `code` from the one that starts with `start` up to the one that starts with `end`. */
function block(code: string, start: string, end: string): string[] {
  const lines = code.split("\n");
  const from = lines.findIndex((line) => line.startsWith(start));
  assert.ok(from >= 0, `no line starts with ${start}`);
  const to = lines.findIndex((line, index) => index > from && line.startsWith(end));
  return lines.slice(from + 1, to);
}

Deno.test('the Spark recipe types every column in file order, with options that keep "" apart from null', () => {
  for (const { schema } of SOURCES) {
    const file = schemaFile(schema, ["csv", "parquet"]);
    const spark = readRecipes(file).spark;
    for (
      const option of [
        `"sep": "|"`,
        `"quote": '"'`,
        `"escape": '"'`,
        `"multiLine": "true"`,
        `"nullValue": "\\u0000"`,
        `"emptyValue": ""`,
        `"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"`,
        `"mode": "FAILFAST"`,
      ]
    ) assert.ok(spark.includes(option), `${schema.source}: Spark option ${option}`);
    for (const table of file.tables) {
      const fields = block(spark, `${identifier(table.name)} = spark.read`, "])).csv(")
        .map((line) => /^ {4}StructField\("([^"]+)", (\w+)\(\), (True|False)\),$/.exec(line));
      assert.deepEqual(
        fields.map((match) => match && [match[1], match[2], match[3] === "True"]),
        table.columns.map((column) => [
          column.name,
          READER_TYPES[column.type].spark,
          column.nullable,
        ]),
        `${schema.source} ${table.name}`,
      );
    }
  }
});

Deno.test("the Python polars recipe casts every typed column once and leaves text as read", () => {
  for (const { schema } of SOURCES) {
    const file = schemaFile(schema, ["csv", "parquet"]);
    const polars = readRecipes(file).polars;
    for (const table of file.tables) {
      const typed = table.columns.filter((column) => !["string", "json"].includes(column.type));
      const casts = typed.length === 0
        ? []
        : block(polars, `${identifier(table.name)} = pl.read_csv(`, ")");
      assert.deepEqual(
        casts.map((line) => /^ {4}pl\.col\("([^"]+)"\)/.exec(line)?.[1]),
        typed.map((column) => column.name),
        `${schema.source} ${table.name}`,
      );
    }
  }
});

const syntaxPython = anyPython();
Deno.test({
  name: "every Python recipe (polars, pandas, Spark; CSV and Parquet) parses as Python",
  ignore: !syntaxPython,
  async fn() {
    for (const { schema } of SOURCES) {
      for (const format of ["csv", "parquet"] as const) {
        const recipes = readRecipes(schemaFile(schema, ["csv", "parquet"]), { format });
        for (const reader of ["polars", "pandas", "spark"] as const) {
          const error = await pythonSyntaxError(syntaxPython!, recipes[reader]);
          assert.equal(error, undefined, `${schema.source} ${format} ${reader}`);
        }
      }
    }
  },
});

Deno.test("docs/READING.md is generated from the recipes and up to date", async () => {
  const committed = await Deno.readTextFile(new URL("../docs/READING.md", import.meta.url));
  assert.ok(committed === readingGuide(), "docs/READING.md is stale: run `deno task docs`");
});

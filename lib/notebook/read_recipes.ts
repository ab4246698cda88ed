/**
 * Read recipes: the exact code that reads a source's tables with the right
 * types in nodejs-polars, Python polars, pandas, DuckDB and Spark, rendered
 * from the `_schema.json` the tables step writes beside them, so that the
 * docs, `deno task recipes` and the tests all use the same text.
 *
 * What every CSV recipe honours (see lib/tables/csv_writer.ts):
 * - `|` between fields, a header row, RFC 4180 quotes (`""` inside a quoted
 *   value is one `"`; values may hold `|` and line breaks);
 * - an empty unquoted field is null, a quoted empty field (`""`) is the empty
 *   string: ids and text are read as text, never guessed;
 * - times are ISO-8601 UTC with milliseconds (`2024-01-05T16:24:09.268Z`);
 *   booleans `true` / `false`; integers and floats as the server sent them.
 *
 * Parquet carries its types, so its recipes are one call per table.
 *
 * @module
 */

import { SCHEMA_FILE, type SchemaFile, type SchemaFileTable } from "../tables/schema_file.ts";
import { pandasRecipe, pythonPolarsRecipe, sparkRecipe } from "./read_recipes_python.ts";
import {
  identifier,
  parquetRecipe,
  POLARS_TIME_FORMAT,
  polarsCast,
  type PolarsSpelling,
  quoted,
  type Reader,
  READER_TYPES,
  type RecipeContext,
  type RecipeTable,
} from "./reader_types.ts";

export {
  type Reader,
  READER_TITLES,
  READER_TYPES,
  READERS,
  type RecipeColumn,
  type RecipeTable,
} from "./reader_types.ts";

/** The code for each reader. */
export type ReadRecipes = Readonly<Record<Reader, string>>;

/** The part of `_schema.json` a recipe needs. */
export type RecipeSchema = Pick<SchemaFile, "source"> & {
  readonly tables: readonly Pick<SchemaFileTable, "name" | "description" | "columns">[];
};

/** Options of {@linkcode readRecipes}. */
export interface ReadRecipeOptions {
  /** The source's tables folder as the code should name it; default `data/tables/<source>`. */
  readonly folder?: string;
  /** Only these tables, in this order; default every table of the schema. */
  readonly tables?: readonly string[];
  /** Read the CSV files (default) or the Parquet copies. */
  readonly format?: "csv" | "parquet";
  /** Where the nodejs-polars recipe imports polars from; default {@linkcode NODEJS_POLARS}. */
  readonly nodejsPolarsImport?: string;
}

/** The nodejs-polars the project pins, as an import specifier that works outside it too. */
export const NODEJS_POLARS = "npm:nodejs-polars@0.25.2";

/**
 * The recipes that read a source's tables, one code text per reader.
 *
 * @param schema the source's `_schema.json` (or any part with tables and columns)
 * @param options folder, tables, format
 * @returns TypeScript for nodejs-polars, Python for polars, pandas and Spark, SQL for DuckDB
 * @throws {RangeError} when a table asked for is not in the schema
 *
 * @example
 * ```ts
 * import { readRecipes } from "./read_recipes.ts";
 * import assert from "node:assert/strict";
 * const schema = {
 *   source: "engagement-history",
 *   tables: [{
 *     name: "transcript_lines",
 *     description: "One row per transcript line",
 *     columns: [
 *       { name: "engagementId", type: "string" },
 *       { name: "time", type: "timestamp" },
 *       { name: "lineSeq", type: "string" },
 *       { name: "position", type: "integer" },
 *     ],
 *   }],
 * } as const;
 * const recipes = readRecipes(schema as never);
 * assert.match(recipes.duckdb, /allow_quoted_nulls = false/);
 * assert.match(recipes.duckdb, /'engagementId': 'VARCHAR'/);
 * assert.match(recipes.pandas, /"lineSeq": "string"/);
 * assert.match(recipes.pandas, /keep_default_na=False/);
 * assert.match(recipes.spark, /StructField\("time", TimestampType\(\), True\)/);
 * assert.match(recipes.polars, /pl\.col\("position"\)\.cast\(pl\.Int64\)/);
 * assert.match(recipes.nodejsPolars, /inferSchemaLength: 0/);
 * ```
 */
export function readRecipes(schema: RecipeSchema, options: ReadRecipeOptions = {}): ReadRecipes {
  const folder = options.folder ?? `data/tables/${schema.source}`;
  const names = options.tables ?? schema.tables.map((table) => table.name);
  const tables = names.map((name): RecipeTable => {
    const table = schema.tables.find((candidate) => candidate.name === name);
    if (!table) {
      throw new RangeError(
        `No table "${name}" in the ${schema.source} schema: pick one of ` +
          schema.tables.map((candidate) => candidate.name).join(", "),
      );
    }
    return {
      name: table.name,
      variable: identifier(table.name),
      description: table.description,
      columns: table.columns,
    };
  });
  const parquet = options.format === "parquet";
  const context = { source: schema.source, folder, tables, parquet };
  return {
    nodejsPolars: nodejsPolarsRecipe(context, options.nodejsPolarsImport ?? NODEJS_POLARS),
    polars: pythonPolarsRecipe(context),
    pandas: pandasRecipe(context),
    duckdb: duckdbRecipe(context),
    spark: sparkRecipe(context),
  };
}

/**
 * The recipes for the tables in a source's folder, from the `_schema.json`
 * the tables step wrote there; the code names the folder as given.
 *
 * @param folder a source's tables folder (`data/tables/engagement-history`)
 * @param options tables and format
 * @returns the code for each reader
 * @throws {Deno.errors.NotFound} when the folder has no `_schema.json`, with the fix
 *
 * @example
 * ```ts
 * import { readRecipesOf } from "./read_recipes.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(() => readRecipesOf(dir), /deno task tables/);
 * await Deno.writeTextFile(`${dir}/_schema.json`, JSON.stringify({
 *   source: "s",
 *   tables: [{ name: "t", description: "One row", columns: [{ name: "n", type: "integer" }] }],
 * }));
 * assert.match((await readRecipesOf(dir)).pandas, /"n": "Int64"/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readRecipesOf(
  folder: string,
  options: Omit<ReadRecipeOptions, "folder"> = {},
): Promise<ReadRecipes> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${folder}/${SCHEMA_FILE}`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(
      `No ${SCHEMA_FILE} in ${folder}: run \`deno task tables\` (or \`deno task demo\`) to ` +
        "write the tables with their schema",
    );
  }
  return readRecipes(JSON.parse(text) as RecipeSchema, { ...options, folder });
}

/** How nodejs-polars spells a boolean test and a UTC time. */
const NODEJS_POLARS_SPELLING: PolarsSpelling = {
  isTrue: (column, name) => `${column}.eq(pl.lit("true")).alias(${quoted(name)})`,
  time: (column) => `${column}.str.strptime(pl.Datetime("ms"), iso).cast(pl.Datetime("ms", "UTC"))`,
};

function nodejsPolarsRecipe(context: RecipeContext, polarsImport: string): string {
  const lines = [
    `import pl from ${quoted(polarsImport)};`,
    "",
    `const folder = ${quoted(context.folder)};`,
  ];
  if (context.parquet) {
    return parquetRecipe(lines, context, {
      marker: "//",
      comment:
        'Parquet carries the types: ids String, times Datetime(ms, UTC), null apart from "".',
      read: (table) =>
        `const ${table.variable} = pl.readParquet(\`\${folder}/${table.name}.parquet\`);`,
    });
  }
  lines.push(
    '// Every column is read as text first: ids stay text, and a quoted empty field ("")',
    "// stays the empty string while an empty field is null. Then each column gets its type.",
    `const csv = { sep: "|", quoteChar: '"', inferSchemaLength: 0 };`,
    `const iso = ${quoted(POLARS_TIME_FORMAT)};`,
  );
  for (const table of context.tables) {
    const casts = table.columns.flatMap((column) =>
      polarsCast(column.name, column.type, NODEJS_POLARS_SPELLING) ?? []
    );
    const read = `pl.readCSV(\`\${folder}/${table.name}.csv\`, csv)`;
    lines.push("", `// ${table.description}`);
    if (casts.length === 0) {
      lines.push(`const ${table.variable} = ${read};`);
    } else {
      lines.push(
        `const ${table.variable} = ${read}.withColumns(`,
        ...casts.map((cast) => `  ${cast},`),
        ");",
      );
    }
  }
  return lines.join("\n") + "\n";
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * The DuckDB schema a source's tables go to in its recipe: the source's name
 * in snake case, since two sources may have tables of the same name.
 *
 * @param source the source's name
 * @returns the schema's name
 *
 * @example
 * ```ts
 * import { duckdbSchemaName } from "./read_recipes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(duckdbSchemaName("messaging-interactions"), "messaging_interactions");
 * ```
 */
export function duckdbSchemaName(source: string): string {
  return identifier(source).toLowerCase();
}

function duckdbRecipe(context: RecipeContext): string {
  const schema = sqlIdentifier(duckdbSchemaName(context.source));
  const lines = [
    `-- ${context.source}: one table per file, in the schema ${schema}.`,
    "-- TIMESTAMPTZ values are instants; SET TimeZone = 'UTC'; shows them in UTC.",
  ];
  if (!context.parquet) {
    lines.push(
      "-- Options: no type guessing (ids stay text), RFC 4180 quotes, and allow_quoted_nulls = false",
      '-- so that a quoted empty field ("") is the empty string and only an empty field is NULL.',
    );
  }
  lines.push(`CREATE SCHEMA IF NOT EXISTS ${schema};`);
  for (const table of context.tables) {
    const target = `${schema}.${sqlIdentifier(table.name)}`;
    const path = sqlString(
      `${context.folder}/${table.name}.${context.parquet ? "parquet" : "csv"}`,
    );
    lines.push("", `-- ${table.description}`, `CREATE OR REPLACE TABLE ${target} AS`);
    if (context.parquet) {
      lines.push(`SELECT * FROM read_parquet(${path});`);
      continue;
    }
    lines.push(
      `SELECT * FROM read_csv(${path},`,
      "  header = true, delim = '|', quote = '\"', escape = '\"', auto_detect = false,",
      "  nullstr = '', allow_quoted_nulls = false,",
      "  columns = {",
      ...table.columns.map((column, index) =>
        `    ${sqlString(column.name)}: ${sqlString(READER_TYPES[column.type].duckdb)}${
          index < table.columns.length - 1 ? "," : ""
        }`
      ),
      "  });",
    );
  }
  return lines.join("\n") + "\n";
}

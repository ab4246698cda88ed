/**
 * `deno task notebooks`: installs the Deno kernel into a project-local Jupyter folder, makes sure
 * tables exist, and executes every notebook headlessly so the saved files carry their outputs.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import { runCli } from "../lib/cli/run.ts";
import { ensureDemoTables } from "../lib/demo.ts";
import {
  executeNotebook,
  hasJupyter,
  inspectNotebook,
  installKernel,
  JUPYTER_INSTALL,
  jupyterEnv,
  jupyterPath,
  kernelCommand,
} from "../lib/notebook/jupyter.ts";
import { hasTables, TABLES_DIR_ENV } from "../lib/notebook/load.ts";

const ROOT = resolve(import.meta.dirname ?? ".", "..");
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const JUPYTER_DIR = join(ROOT, ".jupyter");
const DEMO_DIR = join(ROOT, "data", "demo");

const HELP = `Usage: deno task notebooks [options] [NOTEBOOK.ipynb ...]

Installs the Deno Jupyter kernel into .jupyter/ in this repository (nothing
global is touched), makes sure there are tables to read, and executes every
notebook in notebooks/ (or the ones named) top to bottom with
${jupyterPath()} nbconvert. The executed notebooks are saved in place, with their
tables and charts, so that they render when browsed.

Tables are read from, in order: --tables DIR; $${TABLES_DIR_ENV} (relative to the
project root); data/tables when it holds tables; else the demo's
data/demo/tables, generated from the built-in simulator when missing (no keys,
no network). $LP_TIME_ZONE, $LP_FROM and $LP_TO set every notebook's time zone
and days (YYYY-MM-DD, both included).

To open the notebooks interactively, run with --install-only and follow what it
prints (Jupyter Notebook, the kernel in .jupyter/).

Options:
  --tables DIR     Tables folder the notebooks read.
  --demo           Use the demo tables (data/demo/tables), generating them if missing.
  --out DIR        Write executed copies into DIR instead of overwriting notebooks/.
  --install-only   Only install the kernelspec, then print how to open Jupyter Notebook.
  -h, --help       Show this help.

Exit codes: 0 all notebooks ran cleanly, 1 a notebook failed, 2 bad options.

Examples:
  deno task notebooks
  deno task notebooks --tables /srv/lp/tables --out /tmp/executed
  deno task notebooks notebooks/03_agents.ipynb
`;

/**
 * Runs the notebooks command.
 *
 * @param args Command-line arguments.
 * @returns The exit code.
 */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    tables: { type: "string" },
    demo: { type: "boolean" },
    out: { type: "string" },
    "install-only": { type: "boolean" },
  }, { task: "notebooks", positionals: true });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.tables !== undefined && values.demo) {
    throw new UsageError("Use either --tables DIR or --demo, not both");
  }
  const notebooks = positionals.length > 0 ? positionals.map(checkNotebook) : allNotebooks();

  if (!await hasJupyter()) {
    console.error(
      `error: Jupyter with nbconvert was not found at ${jupyterPath()}.\n` +
        `Install it from Debian's packages (about two minutes):\n  ${JUPYTER_INSTALL}`,
    );
    return 1;
  }
  const kernel = installKernel(JUPYTER_DIR);
  console.log(
    `Deno kernel installed: ${kernel} (it runs ${kernelCommand().slice(0, 4).join(" ")})`,
  );
  if (values["install-only"]) {
    console.log(openInstructions());
    return 0;
  }

  const tablesDir = await chooseTables(values.tables, values.demo === true);
  console.log(`Tables: ${tablesDir}`);
  if (values.out) Deno.mkdirSync(values.out, { recursive: true });

  let failures = 0;
  for (const notebook of notebooks) {
    const problems = await runNotebook(notebook, tablesDir, values.out);
    if (problems.length > 0) failures += 1;
  }
  console.log(`${notebooks.length - failures} of ${notebooks.length} notebooks ran cleanly.`);
  return failures === 0 ? 0 : 1;
}

/** Executes one notebook and prints one line about it; returns what went wrong, if anything. */
async function runNotebook(
  notebook: string,
  tablesDir: string,
  outputDir: string | undefined,
): Promise<string[]> {
  const startedAt = performance.now();
  const result = await executeNotebook(notebook, { dataDir: JUPYTER_DIR, tablesDir, outputDir });
  const took = formatDuration(performance.now() - startedAt);
  if (!result.success) {
    console.error(`FAILED ${basename(notebook)} (${took})\n${lastLines(result.log, 30)}`);
    return ["a cell failed"];
  }
  const report = inspectNotebook(Deno.readTextFileSync(result.output));
  const problems = [
    ...report.errors,
    ...(report.charts === 0 ? ["no chart output"] : []),
    ...(report.executedCells < report.codeCells
      ? [`${report.codeCells - report.executedCells} cell(s) did not run`]
      : []),
    ...(Math.max(report.lostOutputs, result.lostOutputs) > 0
      ? [`${Math.max(report.lostOutputs, result.lostOutputs)} output(s) sent but not saved`]
      : []),
  ];
  if (problems.length > 0) {
    console.error(`FAILED ${basename(notebook)} (${took}): ${problems.join("; ")}`);
  } else {
    console.log(
      `ok ${
        basename(notebook)
      }: ${report.codeCells} cells, ${report.charts} chart(s) (${took}) → ${result.output}`,
    );
  }
  return problems;
}

/** How to open the notebooks in Debian's Jupyter Notebook with the project's kernel. */
export function openInstructions(): string {
  const env = jupyterEnv(JUPYTER_DIR);
  return [
    "Open the notebooks in Jupyter Notebook (on Debian or Ubuntu: sudo apt-get install -y jupyter-notebook):",
    `  JUPYTER_PATH=${env.JUPYTER_PATH} jupyter notebook notebooks/`,
    'and pick the "Deno" kernel if asked. The kernel starts Deno through npx, so clearing the npx',
    "cache costs one download on the next start; run `deno task notebooks --install-only` again",
    "after moving the project.",
  ].join("\n");
}

function allNotebooks(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => join(NOTEBOOKS_DIR, name));
}

function checkNotebook(path: string): string {
  if (!path.endsWith(".ipynb")) {
    throw new UsageError(`Not a notebook: "${path}" (expected a .ipynb file)`);
  }
  if (!existsSync(path)) throw new UsageError(`Notebook not found: ${path}`);
  return resolve(path);
}

async function chooseTables(explicit: string | undefined, demo: boolean): Promise<string> {
  const fromEnv = demo || explicit !== undefined ? undefined : Deno.env.get(TABLES_DIR_ENV);
  const given = explicit ?? fromEnv;
  if (given !== undefined && given !== "") {
    // --tables is relative to where you typed it; $LP_TABLES_DIR to the project root, as in
    // the notebooks themselves.
    const dir = explicit !== undefined ? resolve(explicit) : resolve(ROOT, given);
    if (!hasTables(dir)) {
      throw new UsageError(
        `No tables in ${dir} (no .parquet or .csv table files in it or its source folders); ` +
          `run \`deno task tables --out ${given}\` first`,
      );
    }
    return dir;
  }
  const own = join(ROOT, "data", "tables");
  if (!demo && hasTables(own)) return own;
  if (!hasTables(join(DEMO_DIR, "tables"))) {
    console.log("No tables yet: generating the demo week from the built-in simulator…");
  }
  return await ensureDemoTables({ dataDir: DEMO_DIR });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

if (import.meta.main) await runCli(() => main(Deno.args));

/**
 * The notebooks: their shape, the outputs committed with them, and runs on the demo week and
 * on a simulated 31-day month of 20 000 engagements (no error, every chart present, saved files
 * under 1 MB, identical files when run twice on the same data), plus one day in another time
 * zone, where the charts switch to hourly bars.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ensureDemoTables } from "../lib/demo.ts";
import {
  executeNotebook,
  type ExecuteResult,
  hasJupyter,
  inspectNotebook,
  installKernel,
  JUPYTER_INSTALL,
  jupyterPath,
  type NotebookReport,
} from "../lib/notebook/jupyter.ts";
import { buildSimulatedTables, SIMULATED_MONTH } from "./helpers/simulated_tables.ts";

const ROOT = resolve(import.meta.dirname ?? ".", "..");
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const NOTEBOOKS = readdirSync(NOTEBOOKS_DIR).filter((n) => n.endsWith(".ipynb")).sort()
  .map((n) => join(NOTEBOOKS_DIR, n));
/** A saved notebook must stay readable on a code-hosting site and in a diff. */
const MAX_NOTEBOOK_BYTES = 1_000_000;
/** Charts each notebook draws on data that has every kind of row (degraded paths draw fewer). */
const MIN_CHARTS: Record<string, number> = {
  "01_quick_start.ipynb": 2,
  "02_volume.ipynb": 7,
  "03_agents.ipynb": 7,
  "04_surveys.ipynb": 8,
  "05_transcripts.ipynb": 4,
  "06_messaging.ipynb": 8,
  "07_service_levels.ipynb": 5,
};
/** Notebooks run side by side: each kernel is one process, and a run waits on I/O often. */
const PARALLEL_RUNS = 2;

const jupyterFound = await hasJupyter();
if (!jupyterFound) {
  console.error(
    `SKIPPED: Jupyter not found — install with: ${JUPYTER_INSTALL} (looked for ${jupyterPath()})`,
  );
}

function codeOf(path: string): string[] {
  const notebook = JSON.parse(Deno.readTextFileSync(path));
  return notebook.cells.filter((c: { cell_type: string }) => c.cell_type === "code")
    .map((c: { source: string[] }) => c.source.join(""));
}

/** Problems of a run, empty when it ran cleanly with all its charts. */
function problemsOf(result: ExecuteResult, report: NotebookReport, bytes: number): string[] {
  const name = basename(result.output);
  return [
    ...(result.success ? [] : [`failed:\n${result.log.slice(-3000)}`]),
    ...report.errors.map((error) => `error output: ${error}`),
    ...(report.executedCells === report.codeCells
      ? []
      : [`${report.codeCells - report.executedCells} cell(s) did not run`]),
    ...(Math.max(report.lostOutputs, result.lostOutputs) === 0
      ? []
      : [`${Math.max(report.lostOutputs, result.lostOutputs)} output(s) lost`]),
    ...(report.charts >= (MIN_CHARTS[name] ?? 1)
      ? []
      : [`${report.charts} chart(s), expected at least ${MIN_CHARTS[name] ?? 1}`]),
    ...(bytes < MAX_NOTEBOOK_BYTES ? [] : [`${bytes} bytes saved, more than 1 MB`]),
  ].map((problem) => `${name}: ${problem}`);
}

/** Runs a notebook of one code cell in a temporary folder with its own kernelspec. */
async function runOneCell(source: string): Promise<ExecuteResult> {
  const tmp = await Deno.makeTempDir({ prefix: "lp-notebooks-" });
  try {
    const notebook = join(tmp, "one_cell.ipynb");
    await Deno.writeTextFile(
      notebook,
      JSON.stringify({
        cells: [{
          cell_type: "code",
          execution_count: null,
          metadata: {},
          outputs: [],
          source: [source],
        }],
        metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    installKernel(join(tmp, "jupyter"));
    return await executeNotebook(notebook, {
      dataDir: join(tmp, "jupyter"),
      tablesDir: tmp,
      outputDir: join(tmp, "executed"),
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Runs notebooks, a few at a time, and returns each saved file's text by notebook name. */
async function runAll(
  notebooks: readonly string[],
  options: {
    jupyterDir: string;
    tablesDir: string;
    outputDir: string;
    env?: Record<string, string>;
  },
): Promise<{ texts: Map<string, string>; problems: string[] }> {
  const texts = new Map<string, string>();
  const problems: string[] = [];
  const queue = [...notebooks];
  const worker = async () => {
    for (let notebook = queue.shift(); notebook; notebook = queue.shift()) {
      const result = await executeNotebook(notebook, {
        dataDir: options.jupyterDir,
        tablesDir: options.tablesDir,
        outputDir: options.outputDir,
        env: options.env,
      });
      const text = result.success ? await Deno.readTextFile(result.output) : "{}";
      texts.set(basename(notebook), text);
      const bytes = new TextEncoder().encode(text).length;
      problems.push(...problemsOf(result, inspectNotebook(text), bytes));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_RUNS }, worker));
  return { texts, problems: problems.sort() };
}

Deno.test("notebooks/ holds the seven notebooks, each with the settings cell, a data check and a chart", () => {
  assert.deepEqual(NOTEBOOKS.map((n) => basename(n)), Object.keys(MIN_CHARTS));
  for (const path of NOTEBOOKS) {
    const name = basename(path);
    const notebook = JSON.parse(Deno.readTextFileSync(path));
    assert.equal(notebook.metadata.kernelspec.name, "deno", `${name} uses the Deno kernel`);
    const code = codeOf(path);
    assert.match(
      code[0] ?? "",
      /notebookSettings\(\{ timeZone: "UTC", from: null, to: null \}\)/,
      `${name} starts with the settings cell`,
    );
    assert.match(code[0] ?? "", /describeSettings\(settings\)/, `${name} says what it reads`);
    const all = code.join("\n");
    assert.match(all, /\b(check|assertUniqueKey|assertForeignKey)\(/, `${name} checks its data`);
    assert.match(all, /\bshowChart\(/, `${name} draws a chart`);
    assert.match(all, /from "\.\.\/lib\/notebook\/mod\.ts"/, `${name} imports lib/notebook`);
    assert.doesNotMatch(
      Deno.readTextFileSync(path),
      /jupyter lab\b/,
      `${name} names Jupyter Notebook, which Debian packages`,
    );
  }
});

Deno.test("the committed notebooks carry their executed outputs: every chart, no error, under 1 MB", () => {
  for (const path of NOTEBOOKS) {
    const text = Deno.readTextFileSync(path);
    const report = inspectNotebook(text);
    const problems = problemsOf(
      { output: path, success: true, log: "", lostOutputs: 0 },
      report,
      new TextEncoder().encode(text).length,
    );
    assert.deepEqual(problems, [], `run \`deno task notebooks\` to refresh ${basename(path)}`);
  }
});

Deno.test({
  name: "every notebook runs on the demo week and on a 31-day month of 20 000 engagements, " +
    "the same twice, and on one day in New York",
  ignore: !jupyterFound,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "lp-notebooks-" });
    try {
      const jupyterDir = join(tmp, "jupyter");
      installKernel(jupyterDir);
      const demoTables = await ensureDemoTables({ dataDir: join(tmp, "demo") });
      const monthTables = await buildSimulatedTables(join(tmp, "month"), SIMULATED_MONTH);

      await t.step("the demo week", async () => {
        const { problems } = await runAll(NOTEBOOKS, {
          jupyterDir,
          tablesDir: demoTables,
          outputDir: join(tmp, "out-demo"),
        });
        assert.deepEqual(problems, []);
      });

      await t.step("the 31-day month, twice, with byte-identical files", async () => {
        const first = await runAll(NOTEBOOKS, {
          jupyterDir,
          tablesDir: monthTables,
          outputDir: join(tmp, "out-month-1"),
        });
        assert.deepEqual(first.problems, []);
        const second = await runAll(NOTEBOOKS, {
          jupyterDir,
          tablesDir: monthTables,
          outputDir: join(tmp, "out-month-2"),
        });
        assert.deepEqual(second.problems, []);
        for (const [name, text] of first.texts) {
          assert.ok(text === second.texts.get(name), `${name} differs between two runs`);
        }
      });

      await t.step("one day in another time zone: hourly bars", async () => {
        const day = ["02_volume.ipynb", "07_service_levels.ipynb"].map((n) =>
          join(NOTEBOOKS_DIR, n)
        );
        const { texts, problems } = await runAll(day, {
          jupyterDir,
          tablesDir: monthTables,
          outputDir: join(tmp, "out-day"),
          env: { LP_TIME_ZONE: "America/New_York", LP_FROM: "2024-03-05", LP_TO: "2024-03-05" },
        });
        assert.deepEqual(problems.filter((p) => !/expected at least/.test(p)), []);
        const volume = texts.get("02_volume.ipynb") ?? "";
        assert.match(volume, /Engagements per hour/);
        assert.match(volume, /time zone America\/New_York \(LP_TIME_ZONE\)/);
        assert.match(volume, /days 2024-03-05 \(LP_FROM\) to 2024-03-05 \(LP_TO\)/);
        assert.match(volume, /24 periods/);
      });
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "executeNotebook() counts an output the kernel sent but the saved file lacks",
  ignore: !jupyterFound,
  async fn() {
    // The kernel reports an output that never reaches the file, as when the channel drops one.
    const source =
      'Deno.writeTextFileSync(Deno.env.get("LP_NOTEBOOK_OUTPUT_LOG")!, "1\\n", { append: true });';
    const result = await runOneCell(source);
    assert.ok(result.success, result.log);
    assert.equal(result.lostOutputs, 1);
  },
});

Deno.test({
  name: "a notebook cell whose check throws makes the run fail",
  ignore: !jupyterFound,
  async fn() {
    const result = await runOneCell(
      'if (1 + 1 !== 3) throw new Error("Check failed: arithmetic");',
    );
    assert.equal(result.success, false);
    assert.match(result.log, /Check failed: arithmetic/);
  },
});

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ensureDemoTables } from "../lib/demo.ts";
import {
  executeNotebook,
  hasJupyter,
  inspectNotebook,
  installKernel,
  JUPYTER_INSTALL,
  jupyterPath,
} from "../lib/notebook/jupyter.ts";

const NOTEBOOKS_DIR = resolve(import.meta.dirname ?? ".", "..", "notebooks");
const NOTEBOOKS = readdirSync(NOTEBOOKS_DIR).filter((n) => n.endsWith(".ipynb")).sort()
  .map((n) => join(NOTEBOOKS_DIR, n));
/** Small enough to keep the suite fast, large enough that every chart has data. */
const DEMO_COUNT = 150;

const jupyterFound = await hasJupyter();
if (!jupyterFound) {
  console.error(
    `SKIPPED: Jupyter not found — install with: ${JUPYTER_INSTALL} (looked for ${jupyterPath()})`,
  );
}

Deno.test("notebooks/ holds the six notebooks, each with a data check and the Deno kernel", () => {
  assert.deepEqual(NOTEBOOKS.map((n) => basename(n)), [
    "01_quick_start.ipynb",
    "02_volume.ipynb",
    "03_agents.ipynb",
    "04_surveys.ipynb",
    "05_transcripts.ipynb",
    "06_messaging.ipynb",
  ]);
  for (const path of NOTEBOOKS) {
    const notebook = JSON.parse(Deno.readTextFileSync(path));
    assert.equal(
      notebook.metadata.kernelspec.name,
      "deno",
      `${basename(path)} uses the Deno kernel`,
    );
    const code = notebook.cells.filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] }) => c.source.join("")).join("\n");
    assert.match(
      code,
      /\b(check|assertUniqueKey|assertForeignKey)\(/,
      `${basename(path)} checks its data`,
    );
    assert.match(code, /\bshowChart\(/, `${basename(path)} draws a chart`);
    assert.match(
      code,
      /from "\.\.\/lib\/notebook\/mod\.ts"/,
      `${basename(path)} imports lib/notebook`,
    );
  }
});

Deno.test("the committed notebooks carry their executed outputs: charts and no errors", () => {
  for (const path of NOTEBOOKS) {
    const report = inspectNotebook(Deno.readTextFileSync(path));
    assert.equal(
      report.executedCells,
      report.codeCells,
      `${basename(path)}: run \`deno task notebooks\``,
    );
    assert.deepEqual(report.errors, [], `${basename(path)} was saved with errors`);
    assert.ok(report.charts >= 1, `${basename(path)} was saved without charts`);
    assert.equal(report.silentCells, 0, `${basename(path)} was saved with cells missing outputs`);
  }
});

Deno.test({
  name: "every notebook runs top to bottom on fresh demo data with no error and with a chart",
  ignore: !jupyterFound,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "lp-notebooks-" });
    try {
      const tablesDir = await ensureDemoTables({ dataDir: join(tmp, "data"), count: DEMO_COUNT });
      const jupyterDir = join(tmp, "jupyter");
      installKernel(jupyterDir);
      const outputDir = join(tmp, "executed");
      for (const notebook of NOTEBOOKS) {
        await t.step(basename(notebook), async () => {
          const result = await executeNotebook(notebook, {
            dataDir: jupyterDir,
            tablesDir,
            outputDir,
          });
          assert.ok(result.success, `${basename(notebook)} failed:\n${result.log.slice(-3000)}`);
          const report = inspectNotebook(await Deno.readTextFile(result.output));
          assert.deepEqual(report.errors, [], `${basename(notebook)} has error outputs`);
          assert.equal(report.executedCells, report.codeCells, "every code cell ran");
          assert.ok(report.charts >= 1, `${basename(notebook)} shows at least one chart`);
          assert.equal(report.silentCells, 0, `${basename(notebook)} lost a cell's output`);
        });
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "a notebook cell whose check throws makes the run fail",
  ignore: !jupyterFound,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "lp-notebooks-" });
    try {
      const notebook = join(tmp, "failing.ipynb");
      await Deno.writeTextFile(
        notebook,
        JSON.stringify({
          cells: [{
            cell_type: "code",
            execution_count: null,
            metadata: {},
            outputs: [],
            source: ['if (1 + 1 !== 3) throw new Error("Check failed: arithmetic");'],
          }],
          metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
          nbformat: 4,
          nbformat_minor: 5,
        }),
      );
      installKernel(join(tmp, "jupyter"));
      const result = await executeNotebook(notebook, {
        dataDir: join(tmp, "jupyter"),
        tablesDir: tmp,
        outputDir: join(tmp, "executed"),
      });
      assert.equal(result.success, false);
      assert.match(result.log, /Check failed: arithmetic/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

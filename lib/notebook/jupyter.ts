/**
 * Runs notebooks headlessly with Debian's Jupyter and the Deno kernel, and inspects the results.
 *
 * The kernelspec goes into a project-local Jupyter data folder (not the user's), and every
 * Jupyter folder variable points there, so running the notebooks touches nothing global.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { OUTPUT_LOG_ENV, OUTPUT_METADATA_KEY } from "./display.ts";
import { TABLES_DIR_ENV } from "./load.ts";

/** Jupyter from Debian's packages; a pyenv or pip Jupyter may lack nbconvert or nbclient. */
export const JUPYTER = "/usr/bin/jupyter";

/**
 * The `jupyter` executable to use: `$LP_JUPYTER` when set (e.g. a Jupyter in a virtualenv that
 * has nbconvert and nbclient), else {@linkcode JUPYTER}.
 *
 * @returns A path.
 *
 * @example
 * ```ts
 * import { jupyterPath } from "./jupyter.ts";
 *
 * console.log(jupyterPath()); // "/usr/bin/jupyter" unless LP_JUPYTER is set
 * ```
 */
export function jupyterPath(): string {
  return Deno.env.get("LP_JUPYTER") || JUPYTER;
}

/** How to get Jupyter on Debian or Ubuntu. */
export const JUPYTER_INSTALL =
  "sudo apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client";

/** Name of the kernelspec the notebooks ask for in their metadata. */
export const KERNEL_NAME = "deno";

/**
 * Whether a usable Jupyter (with nbconvert) is installed.
 *
 * @param jupyter Path of the `jupyter` executable.
 * @returns True when `jupyter nbconvert --version` succeeds.
 *
 * @example
 * ```ts
 * import { hasJupyter } from "./jupyter.ts";
 *
 * console.log(await hasJupyter("/nonexistent/jupyter")); // false
 * ```
 */
export async function hasJupyter(jupyter: string = jupyterPath()): Promise<boolean> {
  if (!existsSync(jupyter)) return false;
  try {
    const { success } = await new Deno.Command(jupyter, {
      args: ["nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/**
 * Environment variables that keep Jupyter inside one folder (kernelspecs, config, runtime files).
 *
 * @param dataDir The project-local Jupyter folder, e.g. `<repo>/.jupyter`.
 * @returns Variables to add to the environment of `jupyter`.
 *
 * @example
 * ```ts
 * import { jupyterEnv } from "./jupyter.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(jupyterEnv("/repo/.jupyter").JUPYTER_PATH, "/repo/.jupyter");
 * ```
 */
export function jupyterEnv(dataDir: string): Record<string, string> {
  const dir = resolve(dataDir);
  return {
    JUPYTER_DATA_DIR: dir,
    JUPYTER_PATH: dir,
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    // Jupyter warns about migrating platform folders; nothing to migrate in a private folder.
    JUPYTER_PLATFORM_DIRS: "1",
  };
}

/** Options of {@linkcode installKernel}. */
export interface InstallKernelOptions {
  /**
   * A Deno executable for the kernel to run directly. Default: none, the kernel runs Deno
   * through npx (see {@linkcode kernelCommand}).
   */
  denoPath?: string;
  /** The npx executable; default the first `npx` on `PATH`, else plain `npx`. */
  npxPath?: string;
  /** Deno version npx runs; default the running Deno's (`Deno.version.deno`). */
  denoVersion?: string;
  /** Kernelspec name; default {@linkcode KERNEL_NAME}. */
  name?: string;
}

/**
 * The command a kernelspec runs to start the Deno kernel. By default Deno is started through
 * npx at the running version, `npx -y deno@2.9.6 jupyter --kernel …`, as every other Deno
 * command of this project is: the path of a Deno binary inside the npx cache would break the
 * kernel when that cache is cleared, while npx fetches the same version again.
 *
 * @param options A Deno executable to run directly instead, or npx's path and the version.
 * @returns The kernelspec's `argv`.
 *
 * @example
 * ```ts
 * import { kernelCommand } from "./jupyter.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(kernelCommand({ npxPath: "/usr/bin/npx", denoVersion: "2.9.6" }), [
 *   "/usr/bin/npx", "-y", "deno@2.9.6", "jupyter", "--kernel", "--conn", "{connection_file}",
 * ]);
 * assert.deepEqual(kernelCommand({ denoPath: "/opt/deno" }).slice(0, 2), ["/opt/deno", "jupyter"]);
 * ```
 */
export function kernelCommand(options: InstallKernelOptions = {}): string[] {
  const kernel = ["jupyter", "--kernel", "--conn", "{connection_file}"];
  if (options.denoPath) return [options.denoPath, ...kernel];
  const npx = options.npxPath ?? findOnPath("npx") ?? "npx";
  return [npx, "-y", `deno@${options.denoVersion ?? Deno.version.deno}`, ...kernel];
}

/**
 * Writes the Deno kernelspec into `<dataDir>/kernels/<name>/kernel.json`.
 *
 * `deno jupyter --install` always writes to the user's data folder, and points at the binary
 * that ran it (inside the npx cache); this spec goes into the given folder and runs
 * {@linkcode kernelCommand}.
 *
 * @param dataDir The project-local Jupyter folder.
 * @param options How the kernel starts Deno, and the kernel name.
 * @returns The path of the written kernel.json.
 *
 * @example
 * ```ts
 * import { installKernel } from "./jupyter.ts";
 * import assert from "node:assert/strict";
 *
 * const path = installKernel(Deno.makeTempDirSync(), { npxPath: "/usr/bin/npx", denoVersion: "2.9.6" });
 * const spec = JSON.parse(Deno.readTextFileSync(path));
 * assert.deepEqual(spec.argv.slice(0, 4), ["/usr/bin/npx", "-y", "deno@2.9.6", "jupyter"]);
 * ```
 */
export function installKernel(dataDir: string, options: InstallKernelOptions = {}): string {
  const name = options.name ?? KERNEL_NAME;
  const dir = join(resolve(dataDir), "kernels", name);
  Deno.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: kernelCommand(options),
    display_name: "Deno",
    language: "typescript",
    // npx's own notices (update hints, config warnings) would go to the kernel's log only.
    env: { NPM_CONFIG_UPDATE_NOTIFIER: "false" },
  };
  const path = join(dir, "kernel.json");
  Deno.writeTextFileSync(path, JSON.stringify(spec, null, 2) + "\n");
  return path;
}

/** The first executable called `name` in a folder of `PATH`. */
function findOnPath(name: string): string | undefined {
  for (const folder of (Deno.env.get("PATH") ?? "").split(":")) {
    if (folder === "") continue;
    const candidate = join(folder, name);
    try {
      if (Deno.statSync(candidate).isFile) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Project-local Jupyter folder with the kernelspec. */
  dataDir: string;
  /** Tables folder handed to the notebook as `$LP_TABLES_DIR`. */
  tablesDir: string;
  /** Write the executed copy here; without it the notebook is overwritten in place. */
  outputDir?: string;
  /** Seconds a single cell may run; default 300. */
  cellTimeout?: number;
  /** Path of the `jupyter` executable; default {@linkcode jupyterPath}(). */
  jupyter?: string;
  /** More environment variables for the kernel, e.g. `LP_TIME_ZONE` or `LP_FROM`. */
  env?: Record<string, string>;
}

/** What running one notebook produced. */
export interface ExecuteResult {
  /** The executed notebook file. */
  output: string;
  /** Whether nbconvert exited successfully (it fails on the first cell that throws). */
  success: boolean;
  /** nbconvert's messages, including the failing cell's traceback. */
  log: string;
  /** Outputs the kernel sent that the saved notebook lacks: a failed run, like an error. */
  lostOutputs: number;
}

/** Seconds nbconvert waits for a cell's outputs after its reply before it fails the run. */
const IOPUB_TIMEOUT_SECONDS = 60;

/**
 * Executes a notebook top to bottom with `jupyter nbconvert --execute` and the Deno kernel, and
 * counts the outputs the kernel sent that the saved file lacks. nbconvert waits for a cell's
 * outputs up to 4 s after the cell's reply by default and then moves on without a word, which on
 * a busy machine lost a notebook's last chart; here it waits up to a minute and fails loudly.
 *
 * The kernel's working folder is the notebook's own folder, so `../lib/...` imports and the
 * default `../data/tables` resolve as they do interactively.
 *
 * @param notebook Path of the `.ipynb`.
 * @param options Jupyter folder, tables folder, output folder and timeout.
 * @returns The executed file, success, log, and outputs lost.
 *
 * @example
 * ```ts ignore
 * import { executeNotebook } from "./jupyter.ts";
 *
 * const result = await executeNotebook("notebooks/01_quick_start.ipynb", {
 *   dataDir: ".jupyter",
 *   tablesDir: "data/tables",
 *   outputDir: await Deno.makeTempDir(),
 * });
 * console.log(result.success, result.output);
 * ```
 */
export async function executeNotebook(
  notebook: string,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const path = resolve(notebook);
  const args = [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${options.cellTimeout ?? 300}`,
    `--ExecutePreprocessor.iopub_timeout=${IOPUB_TIMEOUT_SECONDS}`,
    "--ExecutePreprocessor.raise_on_iopub_timeout=True",
    // Per-cell timestamps would change the saved notebooks on every run.
    "--ExecutePreprocessor.record_timing=False",
  ];
  let output = path;
  if (options.outputDir) {
    output = join(resolve(options.outputDir), basename(path));
    args.push("--output-dir", resolve(options.outputDir));
  } else {
    args.push("--inplace");
  }
  args.push(path);
  const outputLog = await Deno.makeTempFile({ prefix: "lp-notebook-outputs-" });
  try {
    const result = await new Deno.Command(options.jupyter ?? jupyterPath(), {
      args,
      cwd: dirname(path),
      env: {
        ...options.env,
        ...jupyterEnv(options.dataDir),
        [TABLES_DIR_ENV]: resolve(options.tablesDir),
        [OUTPUT_LOG_ENV]: outputLog,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const log = decoder.decode(result.stdout) + decoder.decode(result.stderr);
    const sent = (await Deno.readTextFile(outputLog)).split("\n").filter((l) => l !== "").length;
    const saved = result.success && existsSync(output)
      ? numberedOutputs(await Deno.readTextFile(output))
      : sent;
    return { output, success: result.success, log, lostOutputs: Math.max(0, sent - saved) };
  } finally {
    await Deno.remove(outputLog).catch(() => {});
  }
}

/** How many outputs of a saved notebook carry `display()`'s number. */
function numberedOutputs(ipynb: string): number {
  const notebook = JSON.parse(ipynb) as { cells?: { outputs?: NotebookOutput[] }[] };
  return (notebook.cells ?? []).flatMap((cell) => cell.outputs ?? [])
    .filter((output) => typeof output.metadata?.[OUTPUT_METADATA_KEY]?.output === "number")
    .length;
}

/** A notebook output as stored in `.ipynb` (nbformat 4). */
interface NotebookOutput {
  output_type: string;
  metadata?: Record<string, { output?: unknown } | undefined>;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[] | undefined>;
}

/** What {@linkcode inspectNotebook} found. */
export interface NotebookReport {
  /** Code cells in the notebook. */
  codeCells: number;
  /** Code cells that carry an execution count (they ran). */
  executedCells: number;
  /** Error outputs and stderr lines that mention an error, one line each. */
  errors: string[];
  /** Outputs that hold a chart (`image/svg+xml`, or an `<svg>` inside `text/html`). */
  charts: number;
  /**
   * Outputs the kernel sent but the run did not record: `display()` numbers its outputs 1, 2,
   * 3 … (output metadata `lp_history.output`), and each number missing before the last one
   * saved is a lost output (see `nudgeOutputChannel` in display.ts). A failure.
   */
  lostOutputs: number;
}

/**
 * Inspects a saved notebook: which cells ran, which failed, how many charts it shows.
 *
 * @param ipynb The notebook's JSON text.
 * @returns Counts and error lines.
 *
 * @example
 * ```ts
 * import { inspectNotebook } from "./jupyter.ts";
 * import assert from "node:assert/strict";
 *
 * const report = inspectNotebook(JSON.stringify({
 *   cells: [{
 *     cell_type: "code",
 *     execution_count: 1,
 *     outputs: [
 *       { output_type: "display_data", data: { "image/svg+xml": "<svg></svg>" }, metadata: { lp_history: { output: 1 } } },
 *       { output_type: "display_data", data: { "text/plain": "3 rows" }, metadata: { lp_history: { output: 3 } } },
 *       { output_type: "error", ename: "Error", evalue: "Check failed: x" },
 *     ],
 *   }],
 * }));
 * assert.deepEqual(report, {
 *   codeCells: 1,
 *   executedCells: 1,
 *   errors: ["Error: Check failed: x"],
 *   charts: 1,
 *   lostOutputs: 1,
 * });
 * ```
 */
export function inspectNotebook(ipynb: string): NotebookReport {
  const notebook = JSON.parse(ipynb) as {
    cells?: {
      cell_type: string;
      execution_count?: number | null;
      outputs?: NotebookOutput[];
      source?: string | string[];
    }[];
  };
  const report: NotebookReport = {
    codeCells: 0,
    executedCells: 0,
    errors: [],
    charts: 0,
    lostOutputs: 0,
  };
  let lastOutput = 0;
  for (const cell of notebook.cells ?? []) {
    if (cell.cell_type !== "code") continue;
    report.codeCells += 1;
    if (typeof cell.execution_count === "number") report.executedCells += 1;
    for (const output of cell.outputs ?? []) {
      const numbered = output.metadata?.[OUTPUT_METADATA_KEY]?.output;
      if (typeof numbered === "number") {
        // A number that does not follow the previous one: the outputs between were lost (or,
        // when it goes back, cells were run again out of order).
        report.lostOutputs += numbered > lastOutput ? numbered - lastOutput - 1 : 1;
        lastOutput = numbered;
      }
      if (output.output_type === "error") {
        report.errors.push(`${output.ename ?? "Error"}: ${output.evalue ?? ""}`);
      }
      if (output.output_type === "stream" && output.name === "stderr") {
        const text = joinText(output.text);
        if (/error|uncaught|exception/i.test(text)) report.errors.push(text.trim());
      }
      const data = output.data ?? {};
      const html = joinText(data["text/html"]);
      if (data["image/svg+xml"] !== undefined || /<svg[\s>]/.test(html)) report.charts += 1;
    }
  }
  return report;
}

function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : text ?? "";
}

/**
 * Shows DataFrames and charts in the Deno Jupyter kernel.
 *
 * The `*Bundle` functions build a Jupyter MIME bundle (pure, testable anywhere); the `show*`
 * functions send one to the notebook with `Deno.jupyter.display`, or print its plain-text form
 * when run outside a kernel (`deno run`, tests), so the same code works in both places.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type ChartOptions, escapeXml, plotSvg } from "./chart.ts";

/** A Jupyter MIME bundle: media type → content. */
export type MediaBundle = Record<string, string>;

/** Options of {@linkcode tableBundle} and {@linkcode showTable}. */
export interface TableOptions {
  /** Rows to show from the top of the DataFrame; default 10. */
  rows?: number;
  /** A caption above the table, e.g. the table's name. */
  caption?: string;
}

/**
 * Builds the display of a DataFrame: an HTML table of its first rows with column types, and
 * the shape, plus polars' text rendering for plain-text frontends.
 *
 * @param df The DataFrame.
 * @param options Rows to show and a caption.
 * @returns A bundle with `text/html` and `text/plain`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { tableBundle } from "./display.ts";
 * import assert from "node:assert/strict";
 *
 * const bundle = tableBundle(pl.DataFrame({ skill: ["Sales", "<b>"] }), { caption: "skills" });
 * assert.ok(bundle["text/html"]?.includes("&lt;b&gt;"));
 * assert.ok(bundle["text/html"]?.includes("2 rows × 1 columns"));
 * ```
 */
export function tableBundle(df: pl.DataFrame, options: TableOptions = {}): MediaBundle {
  const rows = options.rows ?? 10;
  const head = df.head(rows);
  // getColumns() rather than .columns: a column named "columns" would shadow the property.
  const columns = head.getColumns().map((series) => series.name);
  // polars prints dtypes as "DataType(Int64)"; the inner part is what readers look for.
  const dtypes = head.dtypes.map((t) => String(t).replace(/^DataType\((.*)\)$/, "$1"));
  const headerCells = columns.map((name, i) =>
    `<th style="text-align:left">${escapeXml(name)}<br><small style="color:#777">${
      escapeXml(dtypes[i] ?? "")
    }</small></th>`
  ).join("");
  const records = head.toRecords() as Record<string, unknown>[];
  const bodyRows = records.map((record) =>
    `<tr>${
      columns.map((name) => `<td style="text-align:left">${cellHtml(record[name])}</td>`).join("")
    }</tr>`
  ).join("");
  const shown = df.height > rows ? `first ${rows} of ` : "";
  const shape = `${shown}${df.height} rows × ${df.width} columns`;
  const caption = options.caption ? `<strong>${escapeXml(options.caption)}</strong> · ` : "";
  const html = `<div><p style="margin:0 0 4px 0">${caption}${escapeXml(shape)}</p>` +
    `<table><thead><tr>${headerCells}</tr></thead><tbody>${bodyRows}</tbody></table></div>`;
  const text = `${options.caption ? `${options.caption}: ` : ""}${shape}\n${head.toString()}`;
  return { "text/html": html, "text/plain": text };
}

/** Long text (transcript lines, JSON) is cut so that a table stays readable. */
const MAX_CELL = 120;

function cellHtml(value: unknown): string {
  if (value === null || value === undefined) {
    return `<span style="color:#aaa">null</span>`;
  }
  const text = value instanceof Date ? value.toISOString() : String(value);
  const cut = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
  return escapeXml(cut);
}

/**
 * Builds the display of an SVG chart.
 *
 * @param svg Standalone SVG markup, e.g. from {@linkcode plotSvg}.
 * @param title Plain-text stand-in for frontends that cannot show images.
 * @returns A bundle with `image/svg+xml` and `text/plain`.
 *
 * @example
 * ```ts
 * import { chartBundle } from "./display.ts";
 * import assert from "node:assert/strict";
 *
 * const bundle = chartBundle('<svg xmlns="http://www.w3.org/2000/svg"></svg>', "Empty");
 * assert.ok(bundle["image/svg+xml"]?.startsWith("<svg"));
 * ```
 */
export function chartBundle(svg: string, title = "chart"): MediaBundle {
  return { "image/svg+xml": svg, "text/plain": `[chart: ${title}]` };
}

/**
 * Shows the first rows of a DataFrame in the notebook.
 *
 * @param df The DataFrame.
 * @param options Rows to show and a caption.
 * @returns Resolves once the output is sent.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { showTable } from "./display.ts";
 *
 * // Outside a kernel this prints the plain-text form.
 * await showTable(pl.DataFrame({ n: [1, 2, 3] }), { rows: 2, caption: "numbers" });
 * ```
 */
export async function showTable(df: pl.DataFrame, options: TableOptions = {}): Promise<void> {
  await display(tableBundle(df, options));
}

/**
 * Renders an Observable Plot chart and shows it in the notebook.
 *
 * Resolves to nothing, so that the SVG text is not echoed as the cell's value; use
 * {@linkcode plotSvg} to get the markup, e.g. to save it to a file.
 *
 * @param options Plot options with a required `title` (see {@linkcode plotSvg}).
 * @returns Resolves once the chart is sent.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { showChart } from "./display.ts";
 *
 * await showChart({
 *   title: "Lines per speaker",
 *   x: { label: "Speaker" },
 *   y: { label: "Lines" },
 *   marks: [Plot.barY([{ by: "agent", n: 4 }, { by: "visitor", n: 3 }], { x: "by", y: "n" })],
 * });
 * ```
 */
export async function showChart(options: ChartOptions): Promise<void> {
  await display(chartBundle(plotSvg(options), options.title));
}

/**
 * Shows Markdown in the notebook, e.g. a computed summary sentence.
 *
 * @param markdown Markdown text.
 * @returns Resolves once the output is sent.
 *
 * @example
 * ```ts
 * import { showMarkdown } from "./display.ts";
 *
 * await showMarkdown("**3** tables loaded");
 * ```
 */
export async function showMarkdown(markdown: string): Promise<void> {
  await display({ "text/markdown": markdown, "text/plain": markdown });
}

/**
 * Sends a MIME bundle to the notebook, or prints its text form outside a kernel.
 *
 * @param bundle Media type → content.
 * @returns Resolves once the output is sent.
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 *
 * await display({ "text/plain": "hello" });
 * ```
 */
export async function display(bundle: MediaBundle): Promise<void> {
  const jupyter = kernel();
  if (jupyter) {
    outputsSent += 1;
    // Flush what earlier outputs left in the socket, so that this one is not the one dropped.
    await nudgeOutputChannel(jupyter, PRE_NUDGE_PAUSES_MS);
    // Deno.jupyter.display() sends no metadata; the number lets a run's check find an output
    // that was sent but not recorded (see OUTPUT_METADATA_KEY).
    await jupyter.broadcast("display_data", {
      data: bundle,
      metadata: { [OUTPUT_METADATA_KEY]: { output: outputsSent } },
      transient: {},
    });
    await nudgeOutputChannel(jupyter, NUDGE_PAUSES_MS);
    recordOutput(outputsSent);
  } else {
    console.log(bundle["text/plain"] ?? Object.keys(bundle).join(", "));
  }
}

/**
 * Key of the output metadata that numbers every output `display()` sends in a kernel session:
 * 1, 2, 3 … in the order sent. A saved notebook whose numbers skip one lost that output.
 */
export const OUTPUT_METADATA_KEY = "lp_history";

/** Outputs sent by {@linkcode display} since the kernel loaded this module. */
let outputsSent = 0;

/**
 * Environment variable naming a file to which a headless run's kernel appends the number of
 * each output it sent, so that the run can tell even a lost last output (`executeNotebook`).
 */
export const OUTPUT_LOG_ENV = "LP_NOTEBOOK_OUTPUT_LOG";

function recordOutput(number: number): void {
  const log = Deno.env.get(OUTPUT_LOG_ENV);
  if (log) Deno.writeTextFileSync(log, `${number}\n`, { append: true });
}

/** Pauses, in milliseconds, before each nudge of {@linkcode nudgeOutputChannel} after an output. */
const NUDGE_PAUSES_MS = [0, 5, 20, 50];
/** Pauses before each nudge sent ahead of an output. */
const PRE_NUDGE_PAUSES_MS = [0, 5];

/**
 * Gives the kernel's output channel the chance to pass on what it still holds.
 *
 * The Deno kernel publishes outputs on a ZeroMQ PUB socket that drops a message, silently, when
 * the bytes of earlier messages are still waiting for the reader, and that only writes those
 * bytes out when the next message is sent. On a busy machine a large chart can therefore sit in
 * the socket until the next display, which is then dropped: headless runs lost a cell's output
 * in 6 of 79 runs under CPU load. Each tiny "busy" status sent here (the kernel is busy anyway,
 * and frontends ignore it) makes the socket write out what it holds; the pauses let the reader
 * take it. With them, 0 of 72 runs lost an output under the same load.
 */
async function nudgeOutputChannel(
  jupyter: typeof Deno.jupyter,
  pauses: readonly number[],
): Promise<void> {
  for (const pause of pauses) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    await jupyter.broadcast("status", { execution_state: "busy" });
  }
}

/** `Deno.jupyter` inside a kernel; accessing it anywhere else throws, hence the guard. */
function kernel(): typeof Deno.jupyter | undefined {
  try {
    return Deno.jupyter;
  } catch {
    return undefined;
  }
}

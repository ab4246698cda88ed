/**
 * Charts for notebooks: Observable Plot rendered to a standalone SVG string outside a browser.
 *
 * Plot needs a DOM; linkedom provides one, so the same code runs in `deno run`, in tests and in
 * the Deno Jupyter kernel. The result is a self-contained SVG (white background, black text, the
 * title and legend drawn inside the image) so that it renders the same when a saved notebook is
 * browsed on a site that shows `image/svg+xml` outputs as images.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** Options of {@linkcode plotSvg}: Plot's own options plus a required title. */
export interface ChartOptions extends Omit<Plot.PlotOptions, "title" | "subtitle" | "caption"> {
  /** The chart's title, drawn in bold above the plot; also the SVG's accessible `<title>`. */
  title: string;
  /** An optional second line under the title, e.g. the data's time range or a unit. */
  subtitle?: string;
  /**
   * Largest SVG, in bytes, before {@linkcode plotSvg} refuses; default {@linkcode MAX_CHART_BYTES}.
   * A chart this large draws one mark per row: aggregate first.
   */
  maxBytes?: number;
}

/** Default limit of a chart's SVG size: 150 KB keeps a saved notebook well under 1 MB. */
export const MAX_CHART_BYTES = 150_000;

const SVG_NS = "http://www.w3.org/2000/svg";
const TITLE_SIZE = 16;
const SUBTITLE_SIZE = 12;
const LEGEND_ROW = 18;
const PAD = 8;

/**
 * Renders an Observable Plot chart to a standalone SVG document string.
 *
 * Axes get Plot's labels (name them with `x: { label }` and `y: { label }`); a color legend
 * (`color: { legend: true }`) is drawn inside the SVG rather than as HTML beside it.
 *
 * @param options Plot options (marks, scales, size) plus `title` and an optional `subtitle`.
 * @returns The SVG markup, starting with `<svg xmlns="http://www.w3.org/2000/svg"`.
 * @throws {TypeError} When the title is empty.
 * @throws {RangeError} When the SVG is larger than `maxBytes`.
 *
 * @example Bar chart of counts
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotSvg } from "./chart.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = plotSvg({
 *   title: "Engagements per skill",
 *   x: { label: "Skill" },
 *   y: { label: "Engagements", grid: true },
 *   marks: [Plot.barY([{ skill: "Sales", n: 3 }, { skill: "Support", n: 5 }], { x: "skill", y: "n" })],
 * });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes("Engagements per skill"));
 * ```
 */
export function plotSvg(options: ChartOptions): string {
  const { title, subtitle, maxBytes, ...plotOptions } = options;
  if (title.trim() === "") {
    throw new TypeError("A chart needs a title: pass a non-empty `title` to plotSvg()");
  }
  // linkedom's document is a structural stand-in for the browser's DOM, which Deno lacks.
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
    document: Plot.PlotOptions["document"];
  };
  const wantsLegend = plotOptions.color?.legend === true;
  const plotted = Plot.plot({
    ...plotOptions,
    color: plotOptions.color ? { ...plotOptions.color, legend: false } : undefined,
    document,
  });
  if (plotted.tagName.toLowerCase() !== "svg") {
    throw new TypeError(`Plot returned <${plotted.tagName}> instead of <svg>`);
  }
  const width = Number(plotted.getAttribute("width") ?? 640);
  const height = Number(plotted.getAttribute("height") ?? 400);

  const header: string[] = [];
  let y = PAD + TITLE_SIZE;
  header.push(
    `<text x="${PAD}" y="${y}" font-size="${TITLE_SIZE}" font-weight="bold">${
      escapeXml(title)
    }</text>`,
  );
  if (subtitle) {
    y += SUBTITLE_SIZE + 6;
    header.push(
      `<text x="${PAD}" y="${y}" font-size="${SUBTITLE_SIZE}" fill="#555">${
        escapeXml(subtitle)
      }</text>`,
    );
  }
  if (wantsLegend) {
    const legend = legendSvg(plotted.scale("color"), width - 2 * PAD);
    if (legend) {
      header.push(`<g transform="translate(${PAD},${y + 8})">${legend.markup}</g>`);
      y += 8 + legend.height;
    }
  }
  const top = y + PAD;

  // Plot's <svg> attributes (font, text anchor, class for its <style>) move to a <g> so that
  // the chart can sit under the header inside one outer <svg>.
  const attributes = ["class", "fill", "font-family", "font-size", "text-anchor"]
    .map((name) => [name, plotted.getAttribute(name)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
  const body = plotted.innerHTML;
  const totalHeight = top + height;
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${totalHeight}" ` +
    `viewBox="0 0 ${width} ${totalHeight}" font-family="system-ui, sans-serif" ` +
    `style="color: black; background: white">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${totalHeight}" fill="white"/>` +
    header.join("") +
    `<g transform="translate(0,${top})"${attributes}>${body}</g>` +
    `</svg>`;
  const limit = maxBytes ?? MAX_CHART_BYTES;
  if (svg.length > limit) {
    throw new RangeError(
      `Chart "${title}" is ${Math.round(svg.length / 1000)} KB of SVG (limit ` +
        `${Math.round(limit / 1000)} KB): it draws a mark per row. Aggregate first ` +
        `(countBy, describeBy, rateBy, Plot.binX) or pass a larger maxBytes`,
    );
  }
  return svg;
}

/** A drawn legend and the vertical space it takes. */
interface LegendMarkup {
  markup: string;
  height: number;
}

/** Draws ordinal swatches in rows that wrap at `maxWidth`; continuous scales get a ramp. */
function legendSvg(scale: Plot.Scale | undefined, maxWidth: number): LegendMarkup | undefined {
  if (!scale) return undefined;
  const domain: unknown[] = Array.from(scale.domain ?? []);
  const range: unknown[] = Array.from(scale.range ?? []);
  const ordinal = scale.type === "ordinal" || scale.type === "categorical";
  if (!ordinal) {
    return rampSvg(scale, maxWidth);
  }
  const parts: string[] = [];
  let x = 0;
  let row = 0;
  domain.forEach((value, index) => {
    const label = escapeXml(String(value));
    const itemWidth = 18 + 7 * String(value).length + 12;
    if (x > 0 && x + itemWidth > maxWidth) {
      x = 0;
      row += 1;
    }
    const color = String(range[index % Math.max(range.length, 1)] ?? "#999");
    const top = row * LEGEND_ROW;
    parts.push(
      `<rect x="${x}" y="${top}" width="12" height="12" fill="${escapeXml(color)}"/>` +
        `<text x="${x + 16}" y="${top + 10}" font-size="11">${label}</text>`,
    );
    x += itemWidth;
  });
  return { markup: parts.join(""), height: (row + 1) * LEGEND_ROW };
}

/** A continuous color ramp with its lowest and highest values. */
function rampSvg(scale: Plot.Scale, maxWidth: number): LegendMarkup {
  const domain: unknown[] = Array.from(scale.domain ?? []);
  const low = domain[0];
  const high = domain[domain.length - 1];
  const interpolate = scale.interpolate;
  const steps = 40;
  const width = Math.min(240, maxWidth);
  const stops: string[] = [];
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    const color = typeof interpolate === "function"
      ? String((interpolate as (t: number) => unknown)(t))
      : `rgba(70,130,180,${0.1 + 0.9 * t})`;
    stops.push(
      `<rect x="${(i * width) / steps}" y="0" width="${width / steps + 0.5}" height="10" ` +
        `fill="${escapeXml(color)}"/>`,
    );
  }
  const label = scale.label ? `${escapeXml(String(scale.label))}: ` : "";
  stops.push(
    `<text x="0" y="24" font-size="11">${label}${escapeXml(formatValue(low))}</text>`,
    `<text x="${width}" y="24" font-size="11" text-anchor="end">${
      escapeXml(formatValue(high))
    }</text>`,
  );
  return { markup: stops.join(""), height: 30 };
}

function formatValue(value: unknown): string {
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
  return value instanceof Date ? value.toISOString() : String(value ?? "");
}

/**
 * Escapes text for use inside XML/HTML element content and double-quoted attributes.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` replaced by entities.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./chart.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeXml(`a<b & "c"`), "a&lt;b &amp; &quot;c&quot;");
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

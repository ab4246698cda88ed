/**
 * The settings cell every notebook starts with: which tables, which time zone, which days.
 *
 * A notebook writes its defaults in one call, `notebookSettings({ timeZone: "UTC", from: null,
 * to: null })`; the environment variables `LP_TABLES_DIR`, `LP_TIME_ZONE`, `LP_FROM` and `LP_TO`
 * override them, so that one headless run (or one shell) re-targets every notebook without
 * editing any. A relative `LP_TABLES_DIR` is resolved from the project root, never from the
 * notebook's folder, so the same value works in `deno task notebooks` and in Jupyter.
 *
 * @module
 */
import { relative } from "node:path";
import { UsageError } from "../errors.ts";
import { PROJECT_ROOT, TABLES_DIR_ENV, tablesDir, type TimeRange } from "./load.ts";

/** Environment variable that overrides the notebooks' time zone (an IANA name). */
export const TIME_ZONE_ENV = "LP_TIME_ZONE";
/** Environment variable that overrides the first day shown (`YYYY-MM-DD`, local). */
export const FROM_ENV = "LP_FROM";
/** Environment variable that overrides the last day shown (`YYYY-MM-DD`, local, included). */
export const TO_ENV = "LP_TO";

/** What a notebook's settings cell passes to {@linkcode notebookSettings}. */
export interface SettingsDefaults {
  /** IANA time zone for hours and days, e.g. `"Europe/London"`; default `"UTC"`. */
  readonly timeZone?: string;
  /** First day to include, `YYYY-MM-DD` in `timeZone`; null for all. */
  readonly from?: string | null;
  /** Last day to include, `YYYY-MM-DD` in `timeZone`; null for all. */
  readonly to?: string | null;
  /** Tables folder; default `$LP_TABLES_DIR`, else `data/tables`, else `data/demo/tables`. */
  readonly tablesDir?: string | null;
  /** Environment lookup, for tests; default `Deno.env.get`. */
  readonly env?: (name: string) => string | undefined;
  /** Folder a relative tables folder is resolved from; default the project root. */
  readonly root?: string;
}

/** Where a setting's value came from, for the line a notebook shows. */
export type SettingOrigin = "notebook" | "environment" | "default";

/** The resolved settings; pass them to `loadTable(name, settings)` to load within the days. */
export interface NotebookSettings {
  /** Absolute tables folder (the `dir` of `loadTable`). */
  readonly dir: string;
  /** IANA time zone for hours and days. */
  readonly timeZone: string;
  /** First day included (`YYYY-MM-DD`, local), or null. */
  readonly from: string | null;
  /** Last day included (`YYYY-MM-DD`, local), or null. */
  readonly to: string | null;
  /** The days as instants, `[from, to)` in epoch ms; rows outside are left out when loading. */
  readonly range: TimeRange;
  /** Where each value came from. */
  readonly origins: Readonly<Record<"dir" | "timeZone" | "from" | "to", SettingOrigin>>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Resolves a notebook's settings: the cell's values, overridden by the environment.
 *
 * @param defaults The notebook's own values (time zone, first and last day, tables folder).
 * @returns Settings to pass to `loadTable` and to the time helpers.
 * @throws {UsageError} For an unknown time zone, a day that is not `YYYY-MM-DD`, or `from`
 *   after `to`, naming the setting and the environment variable it came from.
 *
 * @example
 * ```ts
 * import { notebookSettings } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * const env = (name: string) => ({ LP_TIME_ZONE: "Europe/Berlin", LP_TABLES_DIR: "data/x" })[name];
 * const settings = notebookSettings({ timeZone: "UTC", from: "2024-03-31", to: null, env, root: "/repo" });
 * assert.equal(settings.dir, "/repo/data/x");
 * assert.equal(settings.timeZone, "Europe/Berlin");
 * // Local midnight in Berlin, an hour before UTC midnight.
 * assert.equal(settings.range.from, Date.UTC(2024, 2, 30, 23));
 * assert.throws(() => notebookSettings({ timeZone: "Mars/Olympus", env: () => undefined }), /time zone/);
 * ```
 */
export function notebookSettings(defaults: SettingsDefaults = {}): NotebookSettings {
  const env = defaults.env ?? ((name: string) => Deno.env.get(name));
  const root = defaults.root ?? PROJECT_ROOT;
  const pick = (name: string, value: string | null | undefined) => {
    const fromEnv = env(name)?.trim();
    if (fromEnv) return { value: fromEnv, origin: "environment" as const };
    if (value !== undefined && value !== null && value.trim() !== "") {
      return { value: value.trim(), origin: "notebook" as const };
    }
    return { value: null, origin: "default" as const };
  };
  const zone = pick(TIME_ZONE_ENV, defaults.timeZone);
  const timeZone = checkTimeZone(zone.value ?? "UTC", zone.origin);
  const from = pick(FROM_ENV, defaults.from);
  const to = pick(TO_ENV, defaults.to);
  const fromDay = from.value === null ? null : checkDay(from.value, "from", FROM_ENV, from.origin);
  const toDay = to.value === null ? null : checkDay(to.value, "to", TO_ENV, to.origin);
  if (fromDay !== null && toDay !== null && fromDay > toDay) {
    throw new UsageError(
      `The first day (${fromDay}) is after the last day (${toDay}): swap from and to, ` +
        `or clear one of them (${FROM_ENV}, ${TO_ENV})`,
    );
  }
  const dirEnv = env(TABLES_DIR_ENV)?.trim();
  const dirValue = defaults.tablesDir?.trim();
  const dir = dirEnv || dirValue
    ? tablesDir({ env: () => dirEnv || dirValue, root })
    : tablesDir({ env: () => undefined, root });
  return {
    dir,
    timeZone,
    from: fromDay,
    to: toDay,
    range: {
      from: fromDay === null ? null : startOfDay(fromDay, timeZone),
      to: toDay === null ? null : startOfDay(nextDay(toDay), timeZone),
    },
    origins: {
      dir: dirEnv ? "environment" : dirValue ? "notebook" : "default",
      timeZone: zone.origin,
      from: from.origin,
      to: to.origin,
    },
  };
}

/**
 * One Markdown line that says what a notebook reads: folder, time zone and days, each marked
 * when the environment set it.
 *
 * @param settings From {@linkcode notebookSettings}.
 * @param root Folder the tables folder is shown relative to; default the project root.
 * @returns Markdown, e.g. ``Tables `data/demo/tables` · time zone UTC · all days``.
 *
 * @example
 * ```ts
 * import { describeSettings, notebookSettings } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * const env = (name: string) => name === "LP_FROM" ? "2024-01-02" : undefined;
 * const settings = notebookSettings({ timeZone: "UTC", tablesDir: "/repo/t", env, root: "/repo" });
 * assert.equal(
 *   describeSettings(settings, "/repo"),
 *   "Tables `t` · time zone UTC · days from 2024-01-02 (LP_FROM)",
 * );
 * ```
 */
export function describeSettings(settings: NotebookSettings, root: string = PROJECT_ROOT): string {
  const mark = (key: keyof NotebookSettings["origins"], name: string) =>
    settings.origins[key] === "environment" ? ` (${name})` : "";
  const shown = relative(root, settings.dir);
  const folder = shown === "" || shown.startsWith("..") ? settings.dir : shown;
  const days = settings.from === null && settings.to === null
    ? "all days"
    : settings.to === null
    ? `days from ${settings.from}${mark("from", FROM_ENV)}`
    : settings.from === null
    ? `days up to ${settings.to}${mark("to", TO_ENV)}`
    : `days ${settings.from}${mark("from", FROM_ENV)} to ${settings.to}${mark("to", TO_ENV)}`;
  return `Tables \`${folder}\`${mark("dir", TABLES_DIR_ENV)} · time zone ${settings.timeZone}` +
    `${mark("timeZone", TIME_ZONE_ENV)} · ${days}`;
}

function checkTimeZone(zone: string, origin: SettingOrigin): string {
  try {
    // Throws a RangeError for a name the time-zone database does not know.
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    const where = origin === "environment" ? ` (from ${TIME_ZONE_ENV})` : "";
    throw new UsageError(
      `Unknown time zone "${zone}"${where}: use an IANA name such as "UTC", ` +
        `"Europe/London" or "America/New_York"`,
    );
  }
}

function checkDay(text: string, name: string, envName: string, origin: SettingOrigin): string {
  const where = origin === "environment" ? ` (from ${envName})` : "";
  if (DAY.test(text)) {
    try {
      return Temporal.PlainDate.from(text, { overflow: "reject" }).toString();
    } catch {
      // Falls through to the message below.
    }
  }
  throw new UsageError(
    `Invalid ${name} day "${text}"${where}: expected YYYY-MM-DD, e.g. "2024-03-01", or null`,
  );
}

function startOfDay(day: string, timeZone: string): number {
  return Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds;
}

function nextDay(day: string): string {
  return Temporal.PlainDate.from(day).add({ days: 1 }).toString();
}

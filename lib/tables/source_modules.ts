/**
 * Where a source's API description and schema are defined, so that a worker
 * can import them itself: functions (a record's state, the selectors of
 * shared lists) cannot be sent to a worker, but the module that defines them
 * can be named.
 *
 * A source lives in its own folder of lib/sources/, with its API description
 * in `api.ts` and its tables in `tables.ts`; the modules found there are
 * matched to the source by identity of their exports.
 *
 * @module
 */

/** An export of a module. */
export interface ExportRef {
  readonly url: string;
  readonly name: string;
}

/** The modules that define a source's API description and schema. */
export interface SourceModules {
  readonly api: ExportRef;
  readonly schema: ExportRef;
}

const SOURCES_FOLDER = new URL("../sources/", import.meta.url);
const CANDIDATES = ["api.ts", "tables.ts"];

/**
 * Finds the modules whose exports are exactly the given API description and schema.
 *
 * @param source the API description and schema objects
 * @returns their modules and export names, or undefined when they are not defined in lib/sources/
 *
 * @example
 * ```ts
 * import { findSourceModules } from "./source_modules.ts";
 * import { ENGAGEMENT_HISTORY } from "../sources/engagement_history/api.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const found = await findSourceModules({ api: ENGAGEMENT_HISTORY, schema: ENGAGEMENT_HISTORY_SCHEMA });
 * assert.equal(found?.schema.name, "ENGAGEMENT_HISTORY_SCHEMA");
 * assert.equal(await findSourceModules({ api: {}, schema: {} }), undefined);
 * ```
 */
export async function findSourceModules(
  source: { readonly api: unknown; readonly schema: unknown },
): Promise<SourceModules | undefined> {
  if (SOURCES_FOLDER.protocol !== "file:") return undefined;
  let api: ExportRef | undefined;
  let schema: ExportRef | undefined;
  try {
    for (const folder of Deno.readDirSync(SOURCES_FOLDER)) {
      if (!folder.isDirectory) continue;
      for (const file of CANDIDATES) {
        const url = new URL(`${folder.name}/${file}`, SOURCES_FOLDER);
        try {
          Deno.statSync(url);
        } catch {
          continue;
        }
        const module = await import(url.href) as Record<string, unknown>;
        for (const [name, value] of Object.entries(module)) {
          if (value === source.api) api = { url: url.href, name };
          if (value === source.schema) schema = { url: url.href, name };
        }
      }
    }
  } catch {
    return undefined;
  }
  return api && schema ? { api, schema } : undefined;
}

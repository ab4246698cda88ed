/**
 * A worker that turns raw pages into CSV bytes (page_rows.ts). It imports
 * the source's API description and schema itself (source_modules.ts), then
 * answers each page it is sent with its rows; the pages' bytes are
 * transferred, not copied.
 *
 * Messages in: `{ kind: "init", modules }`, then `{ kind: "page", seq, path }`.
 * Messages out: `{ kind: "ready" }` or `{ kind: "failed", message }`, then
 * `{ kind: "rows", seq, rows }` or `{ kind: "error", seq, message, usage }`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { HistoryApi } from "../fetch/history_api.ts";
import { type PageContext, pageContext, pageRows } from "./page_rows.ts";
import type { SourceSchema } from "./schema.ts";
import type { SourceModules } from "./source_modules.ts";

/** A message to the worker. */
export type PageWorkerRequest =
  | { readonly kind: "init"; readonly modules: SourceModules }
  | { readonly kind: "page"; readonly seq: number; readonly path: string };

/** A message from the worker. */
export type PageWorkerReply =
  | { readonly kind: "ready" }
  | { readonly kind: "failed"; readonly message: string }
  | {
    readonly kind: "rows";
    readonly seq: number;
    readonly rows: import("./page_rows.ts").PageRows;
  }
  | {
    readonly kind: "error";
    readonly seq: number;
    readonly message: string;
    readonly usage: boolean;
  };

interface WorkerScope {
  onmessage: ((event: MessageEvent<PageWorkerRequest>) => void) | null;
  postMessage(message: PageWorkerReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
let context: PageContext | undefined;

async function exported(ref: { url: string; name: string }): Promise<unknown> {
  const module = await import(ref.url) as Record<string, unknown>;
  return module[ref.name];
}

async function answer(request: PageWorkerRequest): Promise<void> {
  if (request.kind === "init") {
    try {
      const api = await exported(request.modules.api) as HistoryApi;
      const schema = await exported(request.modules.schema) as SourceSchema;
      context = pageContext(api, schema);
      scope.postMessage({ kind: "ready" });
    } catch (error) {
      scope.postMessage({ kind: "failed", message: String(error) });
    }
    return;
  }
  try {
    if (context === undefined) throw new Error("The page worker got a page before its source");
    const rows = pageRows(request.path, await Deno.readTextFile(request.path), context);
    scope.postMessage({ kind: "rows", seq: request.seq, rows }, [rows.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({
      kind: "error",
      seq: request.seq,
      message: error instanceof Error ? error.message : String(error),
      usage: error instanceof UsageError,
    });
  }
}

scope.onmessage = (event) => void answer(event.data);

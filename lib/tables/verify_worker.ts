/**
 * A worker that checks a raw store's files against its manifest (size and
 * SHA-256, lib/fetch/verify.ts), so that hashing runs on another core while
 * the tables step reads the same files.
 *
 * Message in: `{ folder, entries }`. Message out: `{ problems }` or `{ error }`.
 *
 * @module
 */

import type { ManifestEntry } from "../fetch/manifest.ts";
import { type StoreProblem, verifyStore } from "../fetch/verify.ts";

/** What the worker is asked. */
export interface VerifyRequest {
  readonly folder: string;
  readonly entries: readonly ManifestEntry[];
}

/** What the worker answers. */
export type VerifyReply =
  | { readonly problems: readonly StoreProblem[] }
  | { readonly error: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<VerifyRequest>) => void) | null;
  postMessage(message: VerifyReply): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (event) => {
  try {
    scope.postMessage({ problems: await verifyStore(event.data.folder, event.data.entries) });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};

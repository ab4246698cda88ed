/**
 * Fetching a LivePerson history API into the raw store: everything a script
 * needs in one import. The machinery is shared by every source; a source only
 * describes its API ({@linkcode HistoryApi}).
 *
 * ```ts ignore
 * import { fetchHistory, resolveBaseUrl } from "../lib/fetch/mod.ts";
 * ```
 *
 * @module
 */

export { type Credentials, credentialsFrom, readDotEnv } from "./credentials.ts";
export { settledUntil, sinceLastRange } from "./cursor.ts";
export { normalizeBaseUrl, resolveBaseUrl } from "./domain.ts";
export {
  DEFAULT_CONCURRENCY,
  fetchHistory,
  type FetchHistoryOptions,
  type FetchProgress,
  type FetchSummary,
} from "./fetch_history.ts";
export { describeProgress, summaryLines } from "./fetch_report.ts";
export type { HistoryApi, RecordState } from "./history_api.ts";
export { type RetryEvent, type RetryPolicy } from "./http.ts";
export { importPages } from "./import_pages.ts";
export { RawStore, withRawLock } from "./raw_store.ts";
export { apiFolder, readStoreManifest, storedPages } from "./store_layout.ts";
export { describeProblems, verifyStore } from "./verify.ts";
export { checkWindowLength, parseDuration, type TimeWindow } from "./windows.ts";

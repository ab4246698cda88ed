/**
 * Writing raw stores by hand for tests: pages with chosen windows, offsets and
 * arrival times, recorded in the manifest as a fetch would record them.
 */

import type { HistoryApi } from "../../lib/fetch/history_api.ts";
import { ENGAGEMENT_HISTORY } from "../../lib/sources/engagement_history/api.ts";
import { RawStore } from "../../lib/fetch/raw_store.ts";
import { readPageFacts } from "../../lib/fetch/search_client.ts";

const HOUR = 3_600_000;

/** Where and when a hand-written page was "fetched". */
export interface RawPageOptions {
  readonly windowStart?: number;
  readonly windowMs?: number;
  readonly offset?: number;
  readonly fetchedAt?: Date;
  /** Record the window complete after this page; default true. */
  readonly complete?: boolean;
  readonly api?: HistoryApi;
  readonly accountId?: string;
}

/**
 * Stores one page body (JSON text, so numbers can be written unquoted) as a
 * fetch would: in the manifest with its size and SHA-256, window completed.
 */
export async function storeRawPage(
  rawDir: string,
  body: string,
  options: RawPageOptions = {},
): Promise<void> {
  const api = options.api ?? ENGAGEMENT_HISTORY;
  const from = options.windowStart ?? Date.UTC(2024, 2, 1);
  const window = { from, to: from + (options.windowMs ?? HOUR) };
  const bytes = new TextEncoder().encode(body);
  const facts = readPageFacts(bytes, api);
  const store = await RawStore.open(rawDir, api, {
    accountId: options.accountId ?? "90412377",
    host: "http://test",
  });
  const offset = options.offset ?? 0;
  await store.writePage({
    window,
    generation: 1,
    offset,
    limit: 100,
    count: facts.count,
    records: facts.records,
    partialResult: false,
    short: false,
    body: bytes,
    ...(options.fetchedAt ? { fetchedAt: options.fetchedAt } : {}),
  });
  if (options.complete ?? true) {
    await store.completeWindow({
      window,
      generation: 1,
      count: facts.count,
      pages: Math.max(1, Math.ceil(facts.count / 100)),
      settled: true,
    });
  }
}

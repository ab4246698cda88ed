import assert from "node:assert/strict";
import { paginate, type WindowPage } from "../lib/paging.ts";
import type { PageRequest, SearchPage } from "../lib/search_client.ts";

const WINDOW = { from: 0, to: 600_000 };

/** A fetcher over `total` records that records every request it gets. */
function fakeApi(total: number, options: { partialAt?: Map<number, number> } = {}) {
  const requests: PageRequest[] = [];
  const fetchPage = (request: PageRequest): Promise<SearchPage> => {
    requests.push(request);
    const records = Math.max(0, Math.min(request.limit, total - request.offset));
    const partialLeft = options.partialAt?.get(request.offset) ?? 0;
    if (partialLeft > 0) options.partialAt!.set(request.offset, partialLeft - 1);
    return Promise.resolve({
      body: new TextEncoder().encode(`offset ${request.offset}`),
      count: total,
      records,
      partialResult: partialLeft > 0,
      fetchedAt: new Date(),
    });
  };
  return { requests, fetchPage };
}

async function collect(iterator: AsyncIterable<WindowPage>): Promise<WindowPage[]> {
  return await Array.fromAsync(iterator);
}

Deno.test("paginate() stops when offset reaches _metadata.count, with no extra request at a multiple of 100", async () => {
  for (
    const [total, expectedOffsets] of [
      [200, [0, 100]],
      [201, [0, 100, 200]],
      [99, [0]],
      [100, [0]],
    ] as const
  ) {
    const api = fakeApi(total);
    const pages = await collect(paginate(WINDOW, api.fetchPage));
    assert.deepEqual(api.requests.map((r) => r.offset), expectedOffsets, `total ${total}`);
    assert.equal(pages.reduce((sum, p) => sum + p.records, 0), total);
    assert.ok(api.requests.every((r) => r.limit === 100));
  }
});

Deno.test("paginate() yields one empty page for an empty window, so the window is recorded", async () => {
  const api = fakeApi(0);
  const pages = await collect(paginate(WINDOW, api.fetchPage));
  assert.equal(api.requests.length, 1);
  assert.equal(pages.length, 1);
  assert.equal(pages[0]!.count, 0);
});

Deno.test("paginate() stops at an empty page even if the count promised more", async () => {
  const api = fakeApi(150);
  const fetchPage = async (request: PageRequest) => ({
    ...(await api.fetchPage(request)),
    count: 1000,
  });
  const pages = await collect(paginate(WINDOW, fetchPage));
  assert.deepEqual(api.requests.map((r) => r.offset), [0, 100, 200]);
  assert.deepEqual(pages.map((p) => p.offset), [0, 100]);
});

Deno.test("paginate() fetches a partial page again and accepts it once whole", async () => {
  const api = fakeApi(250, { partialAt: new Map([[100, 2]]) });
  const retries: number[] = [];
  const pages = await collect(
    paginate(WINDOW, api.fetchPage, { onPartialRetry: (_, retry) => retries.push(retry) }),
  );
  assert.deepEqual(api.requests.map((r) => r.offset), [0, 100, 100, 100, 200]);
  assert.deepEqual(retries, [1, 2]);
  assert.ok(pages.every((p) => !p.partialResult));
});

Deno.test("paginate() reports a page that stays partial instead of accepting it silently", async () => {
  const api = fakeApi(150, { partialAt: new Map([[0, 99]]) });
  const pages = await collect(paginate(WINDOW, api.fetchPage, { partialRetries: 2 }));
  assert.deepEqual(api.requests.map((r) => r.offset), [0, 0, 0, 100]);
  assert.deepEqual(pages.map((p) => p.partialResult), [true, false]);
});

Deno.test("paginate() resumes from a given offset", async () => {
  const api = fakeApi(350);
  await collect(paginate(WINDOW, api.fetchPage, { startOffset: 200 }));
  assert.deepEqual(api.requests.map((r) => r.offset), [200, 300]);
});

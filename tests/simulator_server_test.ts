import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../lib/sources/engagement_history/simulator/mod.ts";
import { createHash } from "node:crypto";
import { DEMO_CREDENTIALS, type Simulator, startSimulator } from "../lib/simulator/server.ts";
import { authorizationHeader } from "../lib/fetch/oauth.ts";
import type { Credentials } from "../lib/fetch/credentials.ts";

const DAY = 86_400_000;
const MINUTE = 60_000;
const FROM = Date.UTC(2024, 2, 1);
/** Search answers equal the final records here: no partial search copies, every chat ended. */
const DATASET = {
  count: 240,
  from: FROM,
  to: FROM + 2 * DAY,
  seed: 3,
  partialRate: 0,
  stuckOpenRate: 0,
};

interface SearchOptions {
  query?: string;
  body?: unknown;
  credentials?: Credentials;
  accountId?: string;
  /** Sign this query instead of the one sent. */
  signedQuery?: string;
  authorization?: string | null;
}

function searchUrl(simulator: Simulator, accountId: string, query: string): string {
  return `${simulator.url}/interaction_history/api/account/${accountId}/interactions/search?${query}`;
}

async function search(simulator: Simulator, options: SearchOptions = {}): Promise<Response> {
  const accountId = options.accountId ?? DEMO_CREDENTIALS.accountId;
  const query = options.query ?? "offset=0&limit=100&sort=start:asc&source=simTest";
  const url = searchUrl(simulator, accountId, query);
  const signed = searchUrl(simulator, accountId, options.signedQuery ?? query);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const authorization = options.authorization === undefined
    ? authorizationHeader({ method: "POST", url: signed }, options.credentials ?? DEMO_CREDENTIALS)
    : options.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  const body = options.body ?? { start: { from: FROM, to: FROM + DAY } };
  return await fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface Page {
  _metadata: {
    count: number;
    self: { rel: string; href: string };
    next?: { rel: string; href: string };
    last: { rel: string; href: string };
    shardsStatusResult: { partialResult: boolean };
  };
  interactionHistoryRecords: { info: { engagementId: string; startTimeL: number } }[];
}

async function page(simulator: Simulator, options: SearchOptions = {}): Promise<Page> {
  const response = await search(simulator, options);
  const text = await response.text();
  assert.equal(response.status, 200, text.slice(0, 300));
  return JSON.parse(text) as Page;
}

async function withSimulator(
  run: (simulator: Simulator) => Promise<void>,
  options: { keepBodies?: number } = {},
): Promise<void> {
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    ...options,
  });
  try {
    await run(simulator);
  } finally {
    await simulator.close();
  }
}

async function expectError(response: Response, status: number, pattern: RegExp): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, status, text.slice(0, 300));
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  const body = JSON.parse(text) as { error: string; message: string };
  assert.equal(typeof body.error, "string");
  assert.match(body.message, pattern);
}

Deno.test("startSimulator() listens on 127.0.0.1 with a free port", async () => {
  await withSimulator(async (simulator) => {
    assert.match(simulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(simulator.url, `http://${simulator.host}`);
    await Promise.resolve();
  });
});

Deno.test("startSimulator() answers the Domain API with its host and 401 for another account", async () => {
  await withSimulator(async (simulator) => {
    const ok = await fetch(
      `${simulator.url}/api/account/${DEMO_CREDENTIALS.accountId}/service/engHistDomain/baseURI.json?version=1.0`,
    );
    assert.deepEqual(await ok.json(), {
      service: "engHistDomain",
      account: DEMO_CREDENTIALS.accountId,
      baseURI: simulator.host,
    });
    const other = await fetch(`${simulator.url}/api/account/11111111/service/msgHist/baseURI.json`);
    await expectError(other, 401, /Unknown account/);
  });
});

Deno.test("startSimulator() serves a signed search page with the documented envelope", async () => {
  await withSimulator(async (simulator) => {
    const response = await search(simulator, { query: "offset=0&limit=10&source=simTest" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    const body = await response.json() as Page;
    const expected = simulator.recordsIn(FROM, FROM + DAY);
    const endpoint = searchUrl(simulator, DEMO_CREDENTIALS.accountId, "").replace(/\?$/, "");
    assert.equal(body._metadata.count, expected.length);
    assert.deepEqual(body._metadata.self, { rel: "self", href: `${endpoint}?limit=10&offset=0` });
    assert.deepEqual(body._metadata.next, { rel: "next", href: `${endpoint}?limit=10&offset=10` });
    const lastOffset = Math.floor((expected.length - 1) / 10) * 10;
    assert.deepEqual(body._metadata.last, {
      rel: "last",
      href: `${endpoint}?limit=10&offset=${lastOffset}`,
    });
    assert.deepEqual(body._metadata.shardsStatusResult, { partialResult: false });
    assert.deepEqual(body.interactionHistoryRecords, expected.slice(0, 10));
  });
});

Deno.test("startSimulator() pages through a window: records equal recordsIn(), next absent on the last page", async () => {
  await withSimulator(async (simulator) => {
    const expected = simulator.recordsIn(FROM, FROM + DAY);
    const fetched: unknown[] = [];
    let offset = 0;
    for (;;) {
      const body = await page(simulator, { query: `offset=${offset}&limit=25&source=simTest` });
      assert.equal(body._metadata.count, expected.length);
      fetched.push(...body.interactionHistoryRecords);
      offset += 25;
      if (!body._metadata.next) break;
    }
    assert.ok(offset >= expected.length);
    assert.deepEqual(fetched, expected);
    const beyond = await page(simulator, { query: `offset=${offset}&limit=25&source=simTest` });
    assert.deepEqual(beyond.interactionHistoryRecords, []);
    assert.equal(beyond._metadata.next, undefined);
  });
});

Deno.test("startSimulator() defaults to limit 50 and offset 0 and sorts start:desc", async () => {
  await withSimulator(async (simulator) => {
    const expected = simulator.recordsIn(FROM, FROM + DAY);
    const byDefault = await page(simulator, { query: "source=simTest" });
    assert.equal(byDefault.interactionHistoryRecords.length, 50);
    assert.match(byDefault._metadata.self.href, /\?limit=50&offset=0$/);
    const descending = await page(simulator, { query: "sort=start:desc&limit=5&source=simTest" });
    assert.deepEqual(descending.interactionHistoryRecords, expected.slice(-5).reverse());
    const des = await page(simulator, { query: "sort=engagementId:des&limit=5&source=simTest" });
    assert.deepEqual(des.interactionHistoryRecords, descending.interactionHistoryRecords);
  });
});

Deno.test("startSimulator() rounds start.from down and start.to up to 10 minutes", async () => {
  await withSimulator(async (simulator) => {
    const from = FROM + 3 * 60 * MINUTE + 5 * MINUTE + 1234; // 03:05:01.234
    const to = FROM + 9 * 60 * MINUTE + 31 * MINUTE; // 09:31
    const body = await page(simulator, {
      body: { start: { from: String(from), to: String(to) } },
    });
    const rounded = simulator.recordsIn(
      FROM + 3 * 60 * MINUTE,
      FROM + 9 * 60 * MINUTE + 40 * MINUTE,
    );
    assert.equal(body._metadata.count, rounded.length);
    assert.ok(body._metadata.count > simulator.recordsIn(from, to).length);
    assert.deepEqual(body.interactionHistoryRecords, rounded.slice(0, 100));
  });
});

Deno.test("startSimulator() treats aligned windows as half-open, so they neither overlap nor leave gaps", async () => {
  await withSimulator(async (simulator) => {
    const ids = new Set<string>();
    let total = 0;
    for (let hour = 0; hour < 48; hour += 6) {
      const from = FROM + hour * 60 * MINUTE;
      const body = await page(simulator, { body: { start: { from, to: from + 360 * MINUTE } } });
      for (const record of body.interactionHistoryRecords) ids.add(record.info.engagementId);
      total += body._metadata.count;
    }
    assert.equal(total, DATASET.count);
    assert.equal(ids.size, DATASET.count);
  });
});

Deno.test("startSimulator() rejects limit above 100", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await search(simulator, { query: "limit=101&source=simTest" }), 400, /limit/);
  });
});

Deno.test("startSimulator() rejects limit 0, a fractional limit and a negative offset", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await search(simulator, { query: "limit=0&source=simTest" }), 400, /limit/);
    await expectError(await search(simulator, { query: "limit=1.5&source=simTest" }), 400, /limit/);
    await expectError(
      await search(simulator, { query: "offset=-1&source=simTest" }),
      400,
      /offset/,
    );
  });
});

Deno.test("startSimulator() rejects a missing or too long source", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await search(simulator, { query: "limit=10" }), 400, /source/);
    await expectError(
      await search(simulator, { query: "source=abcdefghijklmnopqrstu" }),
      400,
      /at most 20/,
    );
    assert.equal((await search(simulator, { query: "source=abcdefghijklmnopqrst" })).status, 200);
  });
});

Deno.test("startSimulator() rejects a body that is not JSON or lacks start.from/start.to", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await search(simulator, { body: "{not json" }), 400, /not valid JSON/);
    await expectError(await search(simulator, { body: {} }), 400, /start/);
    await expectError(
      await search(simulator, { body: { start: { from: FROM } } }),
      400,
      /start\.to/,
    );
    await expectError(
      await search(simulator, { body: { start: { from: "yesterday", to: FROM } } }),
      400,
      /start\.from/,
    );
  });
});

Deno.test("startSimulator() rejects to <= from and ranges over 31 days after rounding", async () => {
  await withSimulator(async (simulator) => {
    await expectError(
      await search(simulator, { body: { start: { from: FROM, to: FROM } } }),
      400,
      /after/,
    );
    assert.equal(
      (await search(simulator, { body: { start: { from: FROM, to: FROM + 31 * DAY } } })).status,
      200,
    );
    await expectError(
      await search(simulator, { body: { start: { from: FROM - MINUTE, to: FROM + 31 * DAY } } }),
      400,
      /31 days/,
    );
  });
});

Deno.test("startSimulator() rejects unsigned, wrongly signed and tampered requests with 401", async () => {
  await withSimulator(async (simulator) => {
    await expectError(
      await search(simulator, { authorization: null }),
      401,
      /Missing Authorization/,
    );
    await expectError(
      await search(simulator, {
        credentials: { ...DEMO_CREDENTIALS, accessTokenSecret: "wrong" },
      }),
      401,
      /Invalid oauth_signature/,
    );
    await expectError(
      await search(simulator, {
        query: "offset=0&limit=100&source=simTest",
        signedQuery: "offset=0&limit=10&source=simTest",
      }),
      401,
      /Invalid oauth_signature/,
    );
    const log = simulator.searches.map((entry) => entry.status);
    assert.deepEqual(log, [401, 401, 401]);
  });
});

Deno.test("startSimulator() answers 403 for another account's path", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await search(simulator, { accountId: "12345678" }), 403, /account 12345678/);
  });
});

Deno.test("startSimulator() accepts custom credentials and rejects the demo key then", async () => {
  const credentials = {
    accountId: "55554444",
    consumerKey: "ck",
    consumerSecret: "c s|:",
    accessToken: "tok",
    accessTokenSecret: "t&s",
  };
  const simulator = await startSimulator({
    serve: [{
      api: ENGAGEMENT_HISTORY_SIMULATED,
      dataset: { ...DATASET, accountId: credentials.accountId },
    }],
    credentials,
  });
  try {
    const body = await page(simulator, { credentials, accountId: credentials.accountId });
    assert.ok(body.interactionHistoryRecords[0]?.info.engagementId.startsWith("55554444"));
    await expectError(
      await search(simulator, { accountId: credentials.accountId }),
      401,
      /oauth_consumer_key/,
    );
  } finally {
    await simulator.close();
  }
});

Deno.test("startSimulator() answers 404 and 405 with JSON errors", async () => {
  await withSimulator(async (simulator) => {
    await expectError(await fetch(`${simulator.url}/nowhere`), 404, /No route/);
    await expectError(
      await fetch(searchUrl(simulator, DEMO_CREDENTIALS.accountId, "source=x")),
      405,
      /POST/,
    );
  });
});

Deno.test("startSimulator() logs every search and keeps the exact bytes of recent pages", async () => {
  await withSimulator(async (simulator) => {
    const texts: string[] = [];
    for (const offset of [0, 100, 200]) {
      const response = await search(simulator, {
        query: `offset=${offset}&limit=100&source=simTest`,
      });
      texts.push(await response.text());
    }
    assert.equal(simulator.bodies.size, 2);
    const kept = simulator.bodies.get(`${FROM}:${FROM + DAY}:100`);
    assert.ok(kept);
    assert.equal(new TextDecoder().decode(kept), texts[1]);
    assert.deepEqual(
      simulator.searches.map(({ offset, limit, from, to, status, fault }) => ({
        offset,
        limit,
        from,
        to,
        status,
        fault,
      })),
      [0, 100, 200].map((offset) => ({
        offset,
        limit: 100,
        from: FROM,
        to: FROM + DAY,
        status: 200,
        fault: "ok",
      })),
    );
    texts.forEach((text, index) => {
      const sha = createHash("sha256").update(new TextEncoder().encode(text)).digest("hex");
      assert.equal(simulator.searches[index]?.sha256, sha);
    });
  }, { keepBodies: 2 });
});

Deno.test("startSimulator() sends the same bytes for the same request", async () => {
  await withSimulator(async (simulator) => {
    const first = await (await search(simulator)).text();
    const second = await (await search(simulator)).text();
    assert.equal(first, second);
    assert.equal(simulator.bodies.size, 0);
  });
});

Deno.test("startSimulator() rejects invalid dataset options before listening", async () => {
  await assert.rejects(
    startSimulator({
      serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: { count: 10, from: 5, to: 5 } }],
    }),
    RangeError,
  );
});

Deno.test("startSimulator() reports each answered search to onSearch", async () => {
  const reported: number[] = [];
  let bothReported!: () => void;
  const done = new Promise<void>((resolve) => (bothReported = resolve));
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    onSearch: (entry) => {
      reported.push(entry.status);
      if (reported.length === 2) bothReported();
    },
  });
  try {
    await (await search(simulator)).body?.cancel();
    await (await search(simulator, { authorization: null })).body?.cancel();
    await done;
    assert.deepEqual(reported, [200, 401]);
  } finally {
    await simulator.close();
  }
});

Deno.test("startSimulator() finds one engagement by the engagementId filter, ignoring the time range", async () => {
  await withSimulator(async (simulator) => {
    const target = simulator.recordsIn(FROM + DAY, FROM + 2 * DAY)[7] as {
      info: { engagementId: string };
    };
    const found = await page(simulator, {
      body: { start: { from: FROM, to: FROM + 600_000 }, engagementId: target.info.engagementId },
    });
    assert.equal(found._metadata.count, 1);
    assert.deepEqual(found.interactionHistoryRecords, [target]);
    const none = await page(simulator, {
      body: { start: { from: FROM, to: FROM + DAY }, engagementId: "904123779999999999" },
    });
    assert.equal(none._metadata.count, 0);
  });
});

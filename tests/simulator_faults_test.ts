import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../lib/sources/engagement_history/simulator/mod.ts";
import {
  DEMO_CREDENTIALS,
  type FaultKind,
  type FaultOptions,
  type Simulator,
  startSimulator,
} from "../lib/simulator/server.ts";
import { createFaultPicker } from "../lib/simulator/faults.ts";
import { authorizationHeader } from "../lib/fetch/oauth.ts";

const FROM = Date.UTC(2024, 5, 1);
const DATASET = { count: 120, from: FROM, to: FROM + 86_400_000, seed: 5 };

async function withSimulator(
  faults: FaultOptions,
  run: (simulator: Simulator) => Promise<void>,
): Promise<void> {
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    faults,
  });
  try {
    await run(simulator);
  } finally {
    await simulator.close();
  }
}

function search(simulator: Simulator, offset = 0, signal?: AbortSignal): Promise<Response> {
  const url = `${simulator.url}/interaction_history/api/account/${DEMO_CREDENTIALS.accountId}` +
    `/interactions/search?offset=${offset}&limit=100&source=faultTest`;
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: authorizationHeader({ method: "POST", url }, DEMO_CREDENTIALS),
    },
    body: JSON.stringify({ start: { from: FROM, to: FROM + 86_400_000 } }),
    signal,
  });
}

interface Page {
  _metadata: { count: number; shardsStatusResult: { partialResult: boolean } };
  interactionHistoryRecords: unknown[];
}

Deno.test("startSimulator() answers a scripted 429 with Retry-After, then serves normally", async () => {
  await withSimulator({ script: ["429"] }, async (simulator) => {
    const throttled = await search(simulator);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("retry-after"), "1");
    assert.match((await throttled.json() as { message: string }).message, /retry after 1/);
    const ok = await search(simulator);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.deepEqual(simulator.searches.map((entry) => [entry.status, entry.fault]), [
      [429, "429"],
      [200, "ok"],
    ]);
  });
});

Deno.test("startSimulator() uses retryAfterSeconds in the Retry-After header", async () => {
  await withSimulator({ script: ["429"], retryAfterSeconds: 3 }, async (simulator) => {
    const throttled = await search(simulator);
    assert.equal(throttled.headers.get("retry-after"), "3");
    await throttled.body?.cancel();
  });
});

Deno.test("startSimulator() answers scripted 500 and 503 with JSON errors", async () => {
  await withSimulator({ script: ["500", "503"] }, async (simulator) => {
    for (const status of [500, 503]) {
      const response = await search(simulator);
      assert.equal(response.status, status);
      assert.equal(typeof (await response.json() as { error: string }).error, "string");
    }
  });
});

Deno.test("startSimulator() drops the connection before and in the middle of a response", async () => {
  await withSimulator({ script: ["drop", "drop"] }, async (simulator) => {
    await assert.rejects(search(simulator));
    await assert.rejects(async () => {
      const response = await search(simulator);
      await response.text();
    });
    const ok = await search(simulator);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.deepEqual(simulator.searches.map((entry) => [entry.status, entry.fault]), [
      [0, "drop"],
      [0, "drop"],
      [200, "ok"],
    ]);
  });
});

Deno.test("startSimulator() serves a partial page with partialResult true and records missing", async () => {
  await withSimulator({ script: ["partial"] }, async (simulator) => {
    const partial = await (await search(simulator)).json() as Page;
    const full = await (await search(simulator)).json() as Page;
    assert.equal(partial._metadata.shardsStatusResult.partialResult, true);
    assert.equal(full._metadata.shardsStatusResult.partialResult, false);
    assert.equal(partial._metadata.count, full._metadata.count);
    assert.ok(partial.interactionHistoryRecords.length < full.interactionHistoryRecords.length);
    assert.ok(partial.interactionHistoryRecords.length > 0);
  });
});

Deno.test("startSimulator() delays a slow response by slowMs and every response by latencyMs", async () => {
  const waits: number[] = [];
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    faults: { script: ["slow"], slowMs: 300, latencyMs: 50 },
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  try {
    const slow = await search(simulator);
    assert.equal(slow.status, 200);
    await slow.body?.cancel();
    assert.deepEqual(waits, [50, 300]);
    const quick = await search(simulator);
    await quick.body?.cancel();
    assert.deepEqual(waits, [50, 300, 50]);
  } finally {
    await simulator.close();
  }
});

Deno.test("startSimulator() closes cleanly while a slow request is pending", async () => {
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    faults: { script: ["slow"], slowMs: 60_000 },
    onRequest: () => arrived(),
  });
  const controller = new AbortController();
  const pending = search(simulator, 0, controller.signal).catch((error: unknown) => error);
  await arrival;
  controller.abort();
  const outcome = await pending;
  assert.ok(outcome instanceof Error && outcome.name === "AbortError", String(outcome));
  await simulator.close();
  assert.equal(simulator.searches[0]?.status, 0, "the slow request was never answered");
});

Deno.test("startSimulator() applies seeded fault rates reproducibly", async () => {
  const faults = { rate429: 0.2, rate5xx: 0.2, ratePartial: 0.2, seed: 9 };
  const sequence = async (): Promise<FaultKind[]> => {
    const kinds: FaultKind[] = [];
    await withSimulator(faults, async (simulator) => {
      for (let i = 0; i < 20; i++) await (await search(simulator)).body?.cancel();
      kinds.push(...simulator.searches.map((entry) => entry.fault));
    });
    return kinds;
  };
  const first = await sequence();
  assert.deepEqual(await sequence(), first);
  assert.ok(first.includes("ok") && first.some((kind) => kind !== "ok"));
});

Deno.test("startSimulator() answers every request 429 at rate429 1, until setFaults() clears it", async () => {
  await withSimulator({ rate429: 1 }, async (simulator) => {
    for (let i = 0; i < 3; i++) {
      const response = await search(simulator);
      assert.equal(response.status, 429);
      await response.body?.cancel();
    }
    simulator.setFaults({});
    const ok = await search(simulator);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  });
});

Deno.test("createFaultPicker() consumes the script before the rates", () => {
  const picker = createFaultPicker({ script: ["ok", "503"], rate429: 1 });
  assert.deepEqual([picker.next(), picker.next(), picker.next()], ["ok", "503", "429"]);
});

Deno.test("startSimulator() rejects invalid fault options", async () => {
  await assert.rejects(
    startSimulator({
      serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
      faults: { rate429: 0.7, rate5xx: 0.7 },
    }),
    /add up to/,
  );
  await withSimulator({}, async (simulator) => {
    assert.throws(() => simulator.setFaults({ rateDrop: -1 }), /rateDrop/);
    assert.throws(
      () => simulator.setFaults({ script: ["boom" as FaultKind] }),
      /Unknown fault "boom"/,
    );
    await Promise.resolve();
  });
});

Deno.test("startSimulator() answers 429 at once to searches beyond maxConcurrent in progress", async () => {
  // The first two searches wait a minute, so all five are in progress together;
  // only the three that arrive beyond the cap of two are answered, each at once.
  const simulator = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SIMULATED, dataset: DATASET }],
    faults: { maxConcurrent: 2, latencyMs: 60_000, retryAfterSeconds: 2 },
  });
  const controller = new AbortController();
  const throttled: Response[] = [];
  const threeThrottled = Promise.withResolvers<void>();
  const requests = Array.from(
    { length: 5 },
    () =>
      search(simulator, 0, controller.signal).then((response) => {
        throttled.push(response);
        if (throttled.length === 3) threeThrottled.resolve();
      }).catch((error: unknown) => error),
  );
  await threeThrottled.promise;
  assert.deepEqual(throttled.map((response) => response.status), [429, 429, 429]);
  assert.deepEqual(throttled.map((response) => response.headers.get("retry-after")), [
    "2",
    "2",
    "2",
  ]);
  await Promise.all(throttled.map((response) => response.body?.cancel()));
  const capped = simulator.searches.filter((entry) => entry.overCap);
  assert.deepEqual(capped.map((entry) => [entry.status, entry.fault]), [
    [429, "429"],
    [429, "429"],
    [429, "429"],
  ]);
  controller.abort();
  await Promise.all(requests);
  await simulator.close();
});

Deno.test("startSimulator() with maxConcurrent 1 serves searches sent one after another", async () => {
  // A search is no longer counted once its answer is sent, so the next one is not refused.
  await withSimulator({ maxConcurrent: 1 }, async (simulator) => {
    for (let i = 0; i < 5; i++) {
      const response = await search(simulator);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    }
    assert.ok(simulator.searches.every((entry) => !entry.overCap));
  });
});

Deno.test("startSimulator() with cacheAnswers builds each page once and sends the same bytes again", async () => {
  let built = 0;
  const counting = {
    ...ENGAGEMENT_HISTORY_SIMULATED,
    answer: (...args: Parameters<typeof ENGAGEMENT_HISTORY_SIMULATED.answer>) => {
      built++;
      return ENGAGEMENT_HISTORY_SIMULATED.answer(...args);
    },
  };
  const simulator = await startSimulator({
    serve: [{ api: counting, dataset: DATASET }],
    clock: () => DATASET.to + 86_400_000,
    cacheAnswers: true,
  });
  try {
    const bodies: string[] = [];
    for (const offset of [0, 0, 100, 0]) {
      bodies.push(await (await search(simulator, offset)).text());
    }
    assert.equal(built, 2, "two different pages built once each");
    assert.equal(bodies[1], bodies[0]);
    assert.equal(bodies[3], bodies[0]);
    assert.notEqual(bodies[2], bodies[0]);
    const hashes = simulator.searches.map((entry) => entry.sha256);
    assert.equal(hashes[3], hashes[0]);
  } finally {
    await simulator.close();
  }
});

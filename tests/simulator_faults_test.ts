import assert from "node:assert/strict";
import {
  DEMO_CREDENTIALS,
  type FaultKind,
  type FaultOptions,
  type Simulator,
  startSimulator,
} from "../lib/simulator/server.ts";
import { createFaultPicker } from "../lib/simulator/faults.ts";
import { authorizationHeader } from "../lib/oauth.ts";

const FROM = Date.UTC(2024, 5, 1);
const DATASET = { count: 120, from: FROM, to: FROM + 86_400_000, seed: 5 };

async function withSimulator(
  faults: FaultOptions,
  run: (simulator: Simulator) => Promise<void>,
): Promise<void> {
  const simulator = await startSimulator({ dataset: DATASET, faults });
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
  await withSimulator({ script: ["slow"], slowMs: 300, latencyMs: 50 }, async (simulator) => {
    let began = performance.now();
    const slow = await search(simulator);
    assert.equal(slow.status, 200);
    await slow.body?.cancel();
    assert.ok(performance.now() - began >= 340);
    began = performance.now();
    const quick = await search(simulator);
    await quick.body?.cancel();
    const elapsed = performance.now() - began;
    assert.ok(elapsed >= 45 && elapsed < 300, `took ${elapsed} ms`);
  });
});

Deno.test("startSimulator() closes cleanly while a slow request is pending", async () => {
  const simulator = await startSimulator({
    dataset: DATASET,
    faults: { script: ["slow"], slowMs: 60_000 },
  });
  const controller = new AbortController();
  const pending = search(simulator, 0, controller.signal).catch((error: unknown) => error);
  while (simulator.searches.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  await pending;
  await simulator.close();
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
    startSimulator({ dataset: DATASET, faults: { rate429: 0.7, rate5xx: 0.7 } }),
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

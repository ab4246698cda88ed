import assert from "node:assert/strict";
import {
  HttpStatusError,
  requestWithRetries,
  RetriesExhaustedError,
  type RetryEvent,
} from "../lib/fetch/http.ts";
import type { LimiterSlot, RequestLimiter } from "../lib/fetch/limiter.ts";

type Step = [status: number, body?: string, headers?: Record<string, string>] | "drop" | "hang";

/**
 * Serves the given steps in order on 127.0.0.1 (the last one repeats): a
 * status and body, "drop" (the connection breaks mid-body) or "hang" (no
 * answer until the client gives up).
 */
function scriptedServer(script: Step[]) {
  let served = 0;
  const hanging = new Set<() => void>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    onError: () => new Response(null, { status: 599 }),
  }, async () => {
    const step = script[Math.min(served++, script.length - 1)]!;
    if (step === "hang") {
      await new Promise<void>((resolve) => hanging.add(resolve));
      return new Response("too late");
    }
    if (step === "drop") {
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"partial":'));
            controller.error(new Error("connection dropped"));
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    }
    const [status, body = "", headers = {}] = step;
    return new Response(body, { status, headers });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  return {
    url,
    get served() {
      return served;
    },
    close: () => {
      for (const release of hanging) release();
      return server.shutdown();
    },
  };
}

/** Records waits and retry events; its sleep advances a fake clock instead of waiting. */
function recorder() {
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  let clock = 0;
  return {
    waits,
    events,
    get clock() {
      return clock;
    },
    effects: {
      sleep: (ms: number) => {
        waits.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      now: () => clock,
      random: () => 0,
      onRetry: (event: RetryEvent) => events.push(event),
    },
  };
}

Deno.test("requestWithRetries() waits what Retry-After asks after a 429, at least one second, else 1, 2, 4 s", async () => {
  const server = scriptedServer([
    [429, "slow down", { "retry-after": "3" }],
    [429, "slow down", { "retry-after": "0" }],
    [429, "slow down"],
    [429, "slow down"],
    [200, "ok"],
  ]);
  const { waits, events, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), effects);
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(waits, [3000, 1000, 4000, 8000]);
    assert.deepEqual(events.map((e) => e.reason), ["429", "429", "429", "429"]);
    assert.deepEqual(events.map((e) => e.elapsedMs), [0, 3000, 4000, 8000]);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() stops at once, saying so, when Retry-After is longer than the cap", async () => {
  const server = scriptedServer([[429, "come back tomorrow", { "retry-after": "86400" }]]);
  const { waits, effects } = recorder();
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), effects),
      (error) =>
        error instanceof RetriesExhaustedError && /asked to wait 86400 s/.test(error.message) &&
        /longer than the 120 s/.test(error.message) &&
        /run the same command again/.test(error.message),
    );
    assert.deepEqual(waits, []);
    assert.equal(server.served, 1);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() rides out a long 429 storm within its time budget", async () => {
  const storm: [number, string, Record<string, string>][] = Array.from(
    { length: 400 },
    () => [429, "busy", { "retry-after": "1" }],
  );
  const server = scriptedServer([...storm, [200, "ok"]]);
  const { waits, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), effects);
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.equal(waits.length, 400);
    assert.ok(waits.every((ms) => ms === 1000));
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() waits 5, 10, 15 s after 5xx and dropped connections, then every 2 minutes", async () => {
  const server = scriptedServer([
    [500, "oops"],
    [503, "oops"],
    "drop",
    [502, "oops"],
    [503, "oops"],
    [200, "ok"],
  ]);
  const { waits, events, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), effects);
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(waits, [5000, 10_000, 15_000, 120_000, 120_000]);
    assert.deepEqual(events.map((e) => e.reason.split(" ")[0]), [
      "500",
      "503",
      "connection",
      "502",
      "503",
    ]);
    assert.equal(server.served, 6);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() retries an attempt that times out", async () => {
  const server = scriptedServer(["hang", [200, "ok"]]);
  const { events, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), {
      ...effects,
      timeoutMs: 50,
    });
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(events.map((e) => e.reason.split(" ")[0]), ["timeout"]);
    assert.equal(events[0]?.waitMs, 5000);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() does not retry a 401 and names the keys and the permission", async () => {
  const server = scriptedServer([[401, '{"error":"bad signature"}']]);
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), recorder().effects),
      (error) =>
        error instanceof HttpStatusError && error.status === 401 &&
        /LP_CONSUMER_SECRET/.test(error.message) && /bad signature/.test(error.message),
    );
    assert.equal(server.served, 1);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() explains a 403 with the Data permission to tick", async () => {
  const server = scriptedServer([[403]]);
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), recorder().effects),
      /Conversation History \/ Messaging Interactions/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() gives up when the time budget is spent, keeping the last failure as cause", async () => {
  const server = scriptedServer([[503, "down"]]);
  const recording = recorder();
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), recording.effects),
      (error) =>
        error instanceof RetriesExhaustedError &&
        /run the same command again/.test(error.message) &&
        /--max-wait is 30 min/.test(error.message) && error.cause instanceof HttpStatusError,
    );
    // 5 + 10 + 15 s, then every 2 minutes while the 30-minute budget lasts.
    assert.deepEqual(recording.waits.slice(0, 4), [5000, 10_000, 15_000, 120_000]);
    assert.ok(recording.clock <= 30 * 60_000, `waited ${recording.clock} ms in all`);
    assert.ok(recording.clock > 28 * 60_000, `waited ${recording.clock} ms in all`);
    assert.equal(server.served, recording.waits.length + 1);
  } finally {
    await server.close();
  }
});

/** A limiter that grants every slot at once and logs how each one ends. */
function loggingLimiter() {
  const log: string[] = [];
  let inFlight = 0;
  const end = (what: string) => () => {
    inFlight--;
    log.push(what);
  };
  const limiter: RequestLimiter = {
    acquire: (): Promise<LimiterSlot> => {
      inFlight++;
      log.push("acquire");
      return Promise.resolve({
        succeeded: end("succeeded"),
        throttled: (waitMs: number) => end(`throttled ${waitMs}`)(),
        released: end("released"),
      });
    },
  };
  return {
    log,
    limiter,
    get inFlight() {
      return inFlight;
    },
  };
}

Deno.test("requestWithRetries() takes a limiter slot for each attempt, none while it waits, and says how each ended", async () => {
  const server = scriptedServer([
    [429, "slow down", { "retry-after": "2" }],
    [503, "oops"],
    [200, "ok"],
  ]);
  const slots = loggingLimiter();
  const recording = recorder();
  const inFlightWhileWaiting: number[] = [];
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), {
      ...recording.effects,
      limiter: slots.limiter,
      sleep: (ms) => {
        inFlightWhileWaiting.push(slots.inFlight);
        return recording.effects.sleep(ms);
      },
    });
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(slots.log, [
      "acquire",
      "throttled 2000",
      "acquire",
      "released",
      "acquire",
      "succeeded",
    ]);
    assert.deepEqual(inFlightWhileWaiting, [0, 0]);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() frees its slot when a request cannot succeed", async () => {
  const server = scriptedServer([[401, "no"]]);
  const slots = loggingLimiter();
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), {
        ...recorder().effects,
        limiter: slots.limiter,
      }),
      HttpStatusError,
    );
    assert.deepEqual(slots.log, ["acquire", "released"]);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() stops waiting when its signal is aborted, with the signal's reason", async () => {
  const server = scriptedServer([[503, "down"]]);
  const controller = new AbortController();
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), {
        // A wait that would never end by itself: only the abort ends it.
        sleep: () => new Promise(() => {}),
        onRetry: () => controller.abort(new Error("another request failed")),
        signal: controller.signal,
      }),
      /another request failed/,
    );
    assert.equal(server.served, 1);
  } finally {
    await server.close();
  }
});

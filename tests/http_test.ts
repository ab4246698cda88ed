import assert from "node:assert/strict";
import {
  HttpStatusError,
  requestWithRetries,
  RetriesExhaustedError,
  type RetryEvent,
} from "../lib/http.ts";

type Step = [status: number, body?: string, headers?: Record<string, string>] | "drop" | "hang";

/**
 * Serves the given steps in order on 127.0.0.1 (the last one repeats): a
 * status and body, "drop" (the connection breaks mid-body) or "hang" (no
 * answer for two seconds).
 */
function scriptedServer(script: Step[]) {
  let served = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    onError: () => new Response(null, { status: 599 }),
  }, async () => {
    const step = script[Math.min(served++, script.length - 1)]!;
    if (step === "hang") {
      await new Promise((r) => setTimeout(r, 2000));
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
    close: () => server.shutdown(),
  };
}

function recorder() {
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  return {
    waits,
    events,
    effects: {
      sleep: (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      onRetry: (event: RetryEvent) => events.push(event),
    },
  };
}

Deno.test("requestWithRetries() waits what Retry-After asks after a 429, and at least one second", async () => {
  const server = scriptedServer([
    [429, "slow down", { "retry-after": "3" }],
    [429, "slow down", { "retry-after": "0" }],
    [429, "slow down"],
    [200, "ok"],
  ]);
  const { waits, events, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), effects);
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(waits, [3000, 1000, 3000]);
    assert.deepEqual(events.map((e) => e.reason), ["429", "429", "429"]);
  } finally {
    await server.close();
  }
});

Deno.test("requestWithRetries() backs off exponentially on 5xx and dropped connections", async () => {
  const server = scriptedServer([
    [500, "oops"],
    [503, "oops"],
    "drop",
    [200, "ok"],
  ]);
  const { waits, events, effects } = recorder();
  try {
    const response = await requestWithRetries((signal) => fetch(server.url, { signal }), {
      ...effects,
      baseDelayMs: 1000,
    });
    assert.equal(new TextDecoder().decode(response.body), "ok");
    // random() = 0.5 puts each wait at three quarters of base · 2^(n-1).
    assert.deepEqual(waits, [750, 1500, 3000]);
    assert.deepEqual(events.map((e) => e.reason.split(" ")[0]), ["500", "503", "connection"]);
    assert.equal(server.served, 4);
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
      timeoutMs: 200,
    });
    assert.equal(new TextDecoder().decode(response.body), "ok");
    assert.deepEqual(events.map((e) => e.reason), ["timeout"]);
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

Deno.test("requestWithRetries() gives up after maxAttempts with a message that says what to do", async () => {
  const server = scriptedServer([[503, "down"]]);
  const { waits, effects } = recorder();
  try {
    await assert.rejects(
      requestWithRetries((signal) => fetch(server.url, { signal }), { ...effects, maxAttempts: 3 }),
      (error) =>
        error instanceof RetriesExhaustedError && /run the same command again/.test(error.message),
    );
    assert.equal(server.served, 3);
    assert.equal(waits.length, 2);
  } finally {
    await server.close();
  }
});

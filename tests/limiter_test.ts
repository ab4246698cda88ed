/**
 * The shared adaptive limit, on a clock moved by hand: no test waits for real time.
 */

import assert from "node:assert/strict";
import { AdaptiveLimiter, type LimiterSlot } from "../lib/fetch/limiter.ts";

/** A clock whose sleeps end only when the test moves it on. */
function manualClock() {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ until: now + ms, wake });
      }),
    /** Moves the clock on and wakes the sleepers that are due. */
    async advance(ms: number) {
      now += ms;
      for (const sleeper of sleepers.filter((sleeper) => sleeper.until <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
      await settle();
    },
  };
}

/** Lets every promise that can settle do so (one macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Asks for `count` slots; the returned list fills as they are granted, in order. */
function request(limiter: AdaptiveLimiter, count: number) {
  const granted: LimiterSlot[] = [];
  const order: number[] = [];
  for (let index = 0; index < count; index++) {
    limiter.acquire().then((slot) => {
      granted.push(slot);
      order.push(index);
    });
  }
  return { granted, order };
}

Deno.test("AdaptiveLimiter lets at most its limit in flight and grants the rest first come first served", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 3, ...clock });
  const { granted, order } = request(limiter, 7);
  await settle();
  assert.equal(granted.length, 3);
  assert.equal(limiter.inFlight, 3);
  assert.equal(limiter.waiting, 4);
  granted[1]!.released();
  granted[1]!.released(); // a second end of the same slot changes nothing
  await settle();
  assert.equal(granted.length, 4);
  assert.equal(limiter.inFlight, 3);
  for (const slot of [...granted]) slot.succeeded();
  await settle();
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(limiter.inFlight, 3);
});

Deno.test("AdaptiveLimiter halves its limit on a 429, once for the requests sent at one limit", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 8, ...clock });
  const { granted } = request(limiter, 8);
  await settle();
  assert.equal(limiter.limit, 8);
  // All eight were sent at the limit of 8: the server's cap throttles several of them.
  granted[0]!.throttled(1000);
  granted[1]!.throttled(1000);
  granted[2]!.throttled(1000);
  assert.equal(limiter.limit, 4, "one decrease for one round");
  // Good answers to requests sent at the old limit do not grow the new one.
  for (const slot of granted.slice(3)) slot.succeeded();
  assert.equal(limiter.limit, 4);
  assert.equal(limiter.throttles, 3);
  // A 429 to a request sent at the new limit halves it again.
  await clock.advance(1000);
  const next = request(limiter, 1);
  await settle();
  next.granted[0]!.throttled(1000);
  assert.equal(limiter.limit, 2);
});

Deno.test("AdaptiveLimiter grows by one after a limit's worth of good answers, up to its maximum", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 4, initialConcurrency: 2, ...clock });
  const limits: number[] = [];
  for (let answer = 0; answer < 12; answer++) {
    const { granted } = request(limiter, 1);
    await settle();
    granted[0]!.succeeded();
    limits.push(limiter.limit);
  }
  // 2 answers at 2 → 3; 3 answers at 3 → 4; then the maximum holds.
  assert.deepEqual(limits, [2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4]);
});

Deno.test("AdaptiveLimiter holds every worker back for a 429's Retry-After, not just the one that got it", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 4, ...clock });
  const first = request(limiter, 2);
  await settle();
  first.granted[0]!.throttled(2000);
  // Slots are free (limit 2, one in flight), yet nobody starts during the pause.
  const others = request(limiter, 3);
  await settle();
  assert.equal(others.granted.length, 0);
  assert.equal(limiter.pausedUntil, 2000);
  // A second 429 during the pause makes it longer, never shorter.
  first.granted[1]!.throttled(1500);
  await clock.advance(1999);
  assert.equal(others.granted.length, 0);
  await clock.advance(1);
  // The pause is over, and only the smaller limit starts at once: the burst is smoothed.
  assert.equal(others.granted.length, 2);
  assert.equal(limiter.limit, 2);
});

Deno.test("AdaptiveLimiter never goes below one request in flight, however many 429s come", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 6, ...clock });
  for (let round = 0; round < 6; round++) {
    const { granted } = request(limiter, 1);
    await clock.advance(1000);
    assert.equal(granted.length, 1, `round ${round}: one request may still start`);
    granted[0]!.throttled(1000);
  }
  assert.equal(limiter.limit, 1);
  await clock.advance(1000);
  const { granted } = request(limiter, 2);
  await settle();
  assert.equal(granted.length, 1);
});

Deno.test("AdaptiveLimiter never goes above its maximum, and refuses a bad configuration", () => {
  const limiter = new AdaptiveLimiter({ maxConcurrency: 2, initialConcurrency: 5 });
  assert.equal(limiter.limit, 2);
  assert.throws(() => new AdaptiveLimiter({ maxConcurrency: 0 }), /maxConcurrency 0/);
  assert.throws(() => new AdaptiveLimiter({ maxConcurrency: 1.5 }), /whole number/);
  assert.throws(
    () => new AdaptiveLimiter({ maxConcurrency: 2, decreaseFactor: 1 }),
    /decreaseFactor/,
  );
});

Deno.test("AdaptiveLimiter stops a wait when its signal is aborted, and the slot goes to the next", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 1, ...clock });
  const first = await limiter.acquire();
  const controller = new AbortController();
  const abandoned = limiter.acquire(controller.signal);
  const next = request(limiter, 1);
  controller.abort(new Error("the run failed"));
  await assert.rejects(abandoned, /the run failed/);
  first.released();
  await settle();
  assert.equal(next.granted.length, 1);
  await assert.rejects(limiter.acquire(controller.signal), /the run failed/);
});

Deno.test("AdaptiveLimiter ends a pause when its sleep ends, even if the clock did not move", async () => {
  // Tests inject a sleep that returns at once with the real clock: the queue must go on.
  const limiter = new AdaptiveLimiter({ maxConcurrency: 2, sleep: () => Promise.resolve() });
  const first = await limiter.acquire();
  first.throttled(60_000);
  const next = await limiter.acquire();
  assert.equal(limiter.inFlight, 1);
  next.succeeded();
});

Deno.test("AdaptiveLimiter climbs back below the limit that drew a 429 at once, and past it only after probeAfterMs", async () => {
  const clock = manualClock();
  const limiter = new AdaptiveLimiter({ maxConcurrency: 8, probeAfterMs: 30_000, ...clock });
  const answer = async (times: number) => {
    for (let index = 0; index < times; index++) {
      const { granted } = request(limiter, 1);
      await settle();
      granted[0]!.succeeded();
    }
  };
  const burst = request(limiter, 6);
  await settle();
  burst.granted[0]!.throttled(1000); // a cap of 5, say: the sixth was one too many
  for (const slot of burst.granted.slice(1)) slot.succeeded();
  assert.equal(limiter.limit, 4);
  await clock.advance(1000);
  await answer(4); // 4 good answers at 4 → 5: still below the 8 that drew the 429
  assert.equal(limiter.limit, 5);
  const atFive = request(limiter, 5);
  await settle();
  atFive.granted[0]!.throttled(1000); // 5 drew a 429 too
  for (const slot of atFive.granted.slice(1)) slot.succeeded();
  assert.equal(limiter.limit, 2);
  await clock.advance(1000);
  await answer(2 + 3);
  assert.equal(limiter.limit, 4, "back to one below the limit that drew the 429");
  await answer(40);
  assert.equal(limiter.limit, 4, "no probe past it within 30 s");
  await clock.advance(30_000);
  await answer(1);
  assert.equal(limiter.limit, 5, "then one probe");
});

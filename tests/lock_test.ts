/**
 * One writer at a time: a second writer stops with a message naming the first;
 * the lock of a process that is gone is taken over with a warning.
 */

import assert from "node:assert/strict";
import { acquireLock, holderIsAlive, LockedError } from "../lib/fs/lock.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { spawnScript } from "./helpers/run_script.ts";
import { credentialEnv, withSimulator } from "./helpers/simulator.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { fetchOptions } from "./helpers/simulator.ts";

/** The simulator here serves chats only. */
const API = "--api=engagement-history";

Deno.test("acquireLock() refuses a lock a live process holds and names it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lock = await acquireLock(`${dir}/.lock`, { purpose: "deno task fetch", what: dir });
    await assert.rejects(
      () => acquireLock(`${dir}/.lock`, { purpose: "deno task tables", what: dir }),
      (error: unknown) =>
        error instanceof LockedError && error.holder.pid === Deno.pid &&
        new RegExp(`deno task fetch \\(pid ${Deno.pid} on `).test(error.message),
    );
    await lock.release();
    await (await acquireLock(`${dir}/.lock`, { purpose: "again", what: dir })).release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() takes over the lock of a process that no longer runs, with a warning", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A child that has exited: its PID names no running process (or one started later).
    const child = new Deno.Command("true").spawn();
    await child.status;
    const dead = {
      pid: child.pid,
      host: Deno.hostname(),
      startedAt: "2024-01-01T00:00:00.000Z",
      purpose: "deno task fetch",
      processStart: "1",
    };
    assert.equal(holderIsAlive(dead), false);
    await Deno.writeTextFile(`${dir}/.lock`, JSON.stringify(dead));
    const takenOver: number[] = [];
    const lock = await acquireLock(`${dir}/.lock`, {
      purpose: "deno task fetch",
      what: dir,
      onTakeOver: (holder) => takenOver.push(holder.pid),
    });
    assert.deepEqual(takenOver, [child.pid]);
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/.lock`)).pid, Deno.pid);
    await lock.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a second fetch into the same raw folder stops while the first runs", async () => {
  let paging!: () => void;
  const started = new Promise<void>((resolve) => (paging = resolve));
  const fixture = { count: 3000, days: 3, faults: { latencyMs: 40 }, onRequest: () => paging() };
  await withSimulator(fixture, async (simulator, rawDir) => {
    const env = { ...credentialEnv(DEMO_CREDENTIALS), LP_BASE_URL: simulator.url };
    const args = [API, "--from", "2024-01-01", "--to", "2024-01-03", "--out", rawDir];
    const first = spawnScript("fetch", args, { env });
    // The first run has taken the lock once it asks for its first page.
    await started;
    await assert.rejects(
      () => fetchHistory(fetchOptions(simulator, rawDir, 3)),
      (error: unknown) =>
        error instanceof LockedError &&
        /in use by another run: deno task fetch/.test(error.message),
    );
    assert.equal((await first.output()).code, 0);
  });
});

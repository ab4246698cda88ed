/**
 * One cap on the requests a run has in flight, shared by all its workers, that
 * finds LivePerson's ceiling by adapting to its answers.
 *
 * LivePerson documents no numeric rate limit: it answers 429 when a source
 * sends too much, and describes the limit as a server-side cap on concurrent
 * requests. So the cap moves like TCP's congestion window (AIMD):
 *
 * - **Additive increase**: the limit grows by one after a limit's worth of
 *   good answers since it last changed (about one round trip of every
 *   worker), up to the configured maximum; but back to the limit that last
 *   drew a 429 only once {@linkcode LimiterOptions.probeAfterMs} (30 s) have
 *   passed since, because each probe past a server's cap costs every worker
 *   a pause of a second or more.
 * - **Multiplicative decrease**: a 429 multiplies the limit by the decrease
 *   factor (one half), never below one. Requests sent before that decrease
 *   were sent at the old limit, so their 429s do not shrink it again, nor do
 *   their good answers grow it.
 * - **A shared pause**: a 429's wait (its `Retry-After`, at least a second)
 *   holds back every worker, not just the one that got it, because the server
 *   throttles the source, not the connection; and after the pause only the
 *   smaller limit starts at once, which smooths the burst LivePerson asks
 *   clients to avoid.
 *
 * The clock and the sleep are injectable, so tests move time by hand.
 *
 * @module
 */

/** Options of {@linkcode AdaptiveLimiter}. */
export interface LimiterOptions {
  /** Most requests in flight at once, never exceeded: a whole number of 1 or more. */
  readonly maxConcurrency: number;
  /** Requests allowed in flight at the start; default `maxConcurrency`. */
  readonly initialConcurrency?: number;
  /** What a 429 multiplies the limit by, above 0 and below 1; default 0.5. */
  readonly decreaseFactor?: number;
  /**
   * How long after a 429 the limit stays below the level that drew it, in ms;
   * default 30 000. Below that level it grows as usual.
   */
  readonly probeAfterMs?: number;
  /** The current time in ms; default `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms`; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One request's right to be in flight; end it exactly once (later calls do nothing). */
export interface LimiterSlot {
  /** The request got a good answer: the limit may grow. */
  succeeded(): void;
  /**
   * The request was throttled (429): the limit shrinks, and no worker starts
   * a request for `waitMs`.
   */
  throttled(waitMs: number): void;
  /** Any other end (5xx, timeout, a refused request): the slot is freed, the limit kept. */
  released(): void;
}

/** A source of {@linkcode LimiterSlot}s; what an HTTP attempt takes before it is sent. */
export interface RequestLimiter {
  /**
   * Waits for a free slot (and for any pause a 429 asked for), then takes it;
   * rejects with the signal's reason if it is aborted first.
   */
  acquire(signal?: AbortSignal): Promise<LimiterSlot>;
}

/**
 * An adaptive limit on requests in flight: additive increase, multiplicative
 * decrease on 429, and a pause shared by all workers.
 *
 * @example
 * ```ts
 * import { AdaptiveLimiter } from "./limiter.ts";
 * import assert from "node:assert/strict";
 * const limiter = new AdaptiveLimiter({ maxConcurrency: 4 });
 * const slot = await limiter.acquire();
 * assert.equal(limiter.inFlight, 1);
 * slot.throttled(0);
 * assert.equal(limiter.limit, 2);
 * ```
 */
export class AdaptiveLimiter implements RequestLimiter {
  readonly #max: number;
  readonly #factor: number;
  readonly #probeAfterMs: number;
  readonly #now: () => number;
  readonly #sleep: ((ms: number) => Promise<void>) | undefined;
  /** The real timer that ends a pause, when no sleep was injected; cleared if nobody waits. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #limit: number;
  /** Good answers since the limit last changed. */
  #goodAnswers = 0;
  #inFlight = 0;
  #pausedUntil = -Infinity;
  /** Counts decreases; a slot remembers the round it was taken in. */
  #round = 0;
  /** The limit in force when the last 429 came, and when that was. */
  #throttledLimit = Infinity;
  #throttledAt = -Infinity;
  #throttles = 0;
  #waking = false;
  readonly #waiting: (() => void)[] = [];

  /**
   * @param options the maximum, the start, the decrease factor, clock and sleep
   * @throws {RangeError} for a maximum or start that is not a whole number of 1 or more,
   *   or a factor outside (0, 1)
   */
  constructor(options: LimiterOptions) {
    const max = options.maxConcurrency;
    const initial = options.initialConcurrency ?? max;
    const counts = [["maxConcurrency", max], ["initialConcurrency", initial]] as const;
    for (const [name, value] of counts) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`Invalid ${name} ${value}: use a whole number of 1 or more`);
      }
    }
    const factor = options.decreaseFactor ?? 0.5;
    if (!(factor > 0 && factor < 1)) {
      throw new RangeError(`Invalid decreaseFactor ${factor}: use a number between 0 and 1`);
    }
    this.#max = max;
    this.#factor = factor;
    this.#probeAfterMs = options.probeAfterMs ?? 30_000;
    this.#limit = Math.min(initial, max);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep;
  }

  /** Requests allowed in flight now: a whole number from 1 to the maximum. */
  get limit(): number {
    return this.#limit;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Until when (epoch ms) no request starts, because of a 429; in the past when none. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** 429 answers reported so far. */
  get throttles(): number {
    return this.#throttles;
  }

  /**
   * Waits until a request may start, first come first served, and takes a slot.
   *
   * @param signal stops waiting when aborted (the run failed elsewhere)
   * @returns the slot; end it with one of its methods when the request has ended
   * @throws the signal's reason when it is aborted before a slot is free
   */
  acquire(signal?: AbortSignal): Promise<LimiterSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", giveUp);
        resolve(this.#slot());
      };
      const giveUp = () => {
        const index = this.#waiting.indexOf(grant);
        if (index < 0) return;
        this.#waiting.splice(index, 1);
        if (this.#waiting.length === 0 && this.#timer !== undefined) {
          // Nobody is left to wake: a pending timer would only keep the process alive.
          clearTimeout(this.#timer);
          this.#timer = undefined;
          this.#waking = false;
        }
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", giveUp, { once: true });
      this.#waiting.push(grant);
      this.#pump();
    });
  }

  #slot(): LimiterSlot {
    const round = this.#round;
    let ended = false;
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      this.#inFlight--;
      return true;
    };
    return {
      succeeded: () => {
        if (!end()) return;
        if (round === this.#round && ++this.#goodAnswers >= this.#limit) {
          const probing = this.#limit + 1 >= this.#throttledLimit &&
            this.#now() - this.#throttledAt < this.#probeAfterMs;
          if (!probing) {
            this.#limit = Math.min(this.#max, this.#limit + 1);
            this.#goodAnswers = 0;
          }
        }
        this.#pump();
      },
      throttled: (waitMs) => {
        if (!end()) return;
        this.#throttles++;
        if (round === this.#round) {
          this.#round++;
          this.#throttledLimit = this.#limit;
          this.#throttledAt = this.#now();
          this.#limit = Math.max(1, Math.floor(this.#limit * this.#factor));
          this.#goodAnswers = 0;
        }
        this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + waitMs);
        this.#pump();
      },
      released: () => {
        if (end()) this.#pump();
      },
    };
  }

  /** Looks at the queue again once `ms` have passed. */
  #wakeAfter(ms: number): void {
    this.#waking = true;
    const pause = this.#pausedUntil;
    const wake = () => {
      this.#waking = false;
      this.#timer = undefined;
      // A pause slept through is over, whatever the clock says: an injected sleep that
      // returns at once (tests) must not leave the queue spinning until real time catches up.
      if (this.#pausedUntil === pause) this.#pausedUntil = -Infinity;
      this.#pump();
    };
    if (this.#sleep) this.#sleep(ms).then(wake);
    else this.#timer = setTimeout(wake, ms);
  }

  /** Starts waiting requests while slots are free and no pause holds. */
  #pump(): void {
    const now = this.#now();
    if (now < this.#pausedUntil) {
      if (this.#waiting.length > 0 && !this.#waking) this.#wakeAfter(this.#pausedUntil - now);
      return;
    }
    while (this.#waiting.length > 0 && this.#inFlight < this.limit) {
      this.#inFlight++;
      this.#waiting.shift()!();
    }
  }
}

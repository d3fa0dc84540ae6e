// The process-wide politeness machinery: a cap on queries in flight that backs off when timeouts
// rise (AIMD-style), and per-destination rate limits. Written here rather than taken from a
// library because the well-kept ones (p-limit, p-queue, bottleneck) are either ESM-only, which
// Jest here cannot load, or have no notion of an adaptive cap driven by query outcomes.

export interface AdaptiveLimitOptions {
  /** Hard ceiling of queries in flight. */
  max: number;
  /** Floor the backoff never goes below. */
  min: number;
  /** Starting limit (grows toward max while timeouts stay rare). */
  initial: number;
  /** Share of attempts timing out in a window above which the limit is cut. */
  backoffTimeoutRatio: number;
  /** Share below which a saturated limit grows. */
  growTimeoutRatio: number;
  /** Minimum completions per evaluation window. */
  windowCompletions: number;
}

export class AdaptiveConcurrencyLimit {
  private current: number;
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  private waiterHead = 0;
  private windowDone = 0;
  private windowTimeouts = 0;
  private windowSaturated = false;
  /** Times the limit was cut / raised (for stats). */
  backoffs = 0;
  increases = 0;
  /** Acquisitions that had to queue. */
  queuedAcquisitions = 0;

  constructor(private readonly options: AdaptiveLimitOptions) {
    if (!(options.max >= 1)) throw new Error(`maxInFlight must be at least 1 (got ${options.max})`);
    this.current = Math.max(Math.min(options.initial, options.max), Math.min(options.min, options.max), 1);
  }

  get limit(): number {
    return this.current;
  }
  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiters.length - this.waiterHead;
  }

  /** Resolves when a slot is held; the holder must call release() exactly once. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.current && this.queued === 0) {
      this.active++;
      return undefined;
    }
    this.windowSaturated = true;
    this.queuedAcquisitions++;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Frees a slot; `timedOut` feeds the backoff. */
  release(timedOut: boolean): void {
    this.active--;
    this.windowDone++;
    if (timedOut) this.windowTimeouts++;
    if (this.windowDone >= Math.max(this.options.windowCompletions, this.current)) this.evaluate();
    this.drain();
  }

  private evaluate(): void {
    const ratio = this.windowTimeouts / this.windowDone;
    if (ratio > this.options.backoffTimeoutRatio) {
      const next = Math.max(this.options.min, Math.floor(this.current * 0.7));
      if (next < this.current) this.backoffs++;
      this.current = next;
    } else if (ratio <= this.options.growTimeoutRatio && this.windowSaturated && this.current < this.options.max) {
      this.current = Math.min(this.options.max, this.current + Math.max(1, Math.ceil(this.current * 0.1)));
      this.increases++;
    }
    this.windowDone = 0;
    this.windowTimeouts = 0;
    this.windowSaturated = false;
  }

  private drain(): void {
    while (this.active < this.current && this.waiterHead < this.waiters.length) {
      const next = this.waiters[this.waiterHead]!;
      this.waiters[this.waiterHead++] = undefined as never;
      this.active++;
      next();
    }
    // Compact the queue array once its consumed head dominates it.
    if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
      this.waiters.splice(0, this.waiterHead);
      this.waiterHead = 0;
    }
  }
}

/**
 * Per-destination rate limits as a generic cell rate algorithm (a token bucket kept as one
 * "theoretical arrival time" per destination): `qps` sustained, `burst` back-to-back.
 * Destinations idle for longer than their burst window are forgotten, so the map stays small.
 */
export class DestinationRateLimiter {
  private readonly nextFreeAt = new Map<string, number>();
  private lastSweep = 0;
  /** Reservations that had to wait, and the total wait. */
  waits = 0;
  waitedMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Reserves a send slot for `destination` and returns how many ms to wait before sending (0 when
   * it may go now), or null (nothing reserved) when that wait would pass `notAfter`.
   * qps <= 0 means unlimited.
   */
  reserve(destination: string, qps: number, burst: number, notAfter = Infinity): number | null {
    if (qps <= 0) return 0;
    const now = this.now();
    const interval = 1000 / qps;
    const tolerance = interval * Math.max(0, burst - 1);
    const theoretical = Math.max(this.nextFreeAt.get(destination) ?? now, now);
    const wait = Math.max(0, theoretical - tolerance - now);
    if (now + wait > notAfter) return null;
    this.nextFreeAt.set(destination, theoretical + interval);
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
    }
    if (this.nextFreeAt.size > 4096 && now - this.lastSweep > 1000) this.sweep(now);
    return wait;
  }

  get destinations(): number {
    return this.nextFreeAt.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [destination, at] of this.nextFreeAt) if (at < now) this.nextFreeAt.delete(destination);
  }
}

import { AdaptiveConcurrencyLimit, DestinationRateLimiter } from '../../../src/dns/limiter';
import { TtlLruCache } from '../../../src/dns/cache';

describe('AdaptiveConcurrencyLimit', () => {
  const options = { max: 100, min: 10, initial: 50, backoffTimeoutRatio: 0.05, growTimeoutRatio: 0.01, windowCompletions: 20 };

  test('never lets more than the limit run; queued acquirers start as slots free up, in order', async () => {
    const limit = new AdaptiveConcurrencyLimit({ ...options, max: 2, min: 1, initial: 2 });
    expect(limit.acquire()).toBeUndefined();
    expect(limit.acquire()).toBeUndefined();
    const started: number[] = [];
    const third = limit.acquire()!.then(() => started.push(3));
    const fourth = limit.acquire()!.then(() => started.push(4));
    expect(limit.inFlight).toBe(2);
    expect(limit.queued).toBe(2);
    limit.release(false);
    await third;
    expect(started).toEqual([3]);
    expect(limit.inFlight).toBe(2);
    limit.release(false);
    await fourth;
    expect(started).toEqual([3, 4]);
  });

  function runWindow(limit: AdaptiveConcurrencyLimit, completions: number, timeouts: number, saturate: boolean): void {
    for (let i = 0; i < completions; i++) {
      const slot = limit.acquire();
      if (slot === undefined) limit.release(i < timeouts);
      else throw new Error('unexpected queueing');
    }
    if (saturate) {
      // Hold every slot, queue one more, then release all: the window saw saturation.
      const held = limit.limit;
      for (let i = 0; i < held; i++) limit.acquire();
      void limit.acquire();
      for (let i = 0; i <= held; i++) limit.release(false);
    }
  }

  test('cuts the limit when timeouts rise, down to the floor', () => {
    const limit = new AdaptiveConcurrencyLimit(options);
    runWindow(limit, 50, 10, false); // 20 % timeouts
    expect(limit.limit).toBe(35);
    for (let i = 0; i < 20; i++) runWindow(limit, 50, 25, false);
    expect(limit.limit).toBe(options.min);
    expect(limit.backoffs).toBeGreaterThan(1);
  });

  test('grows a saturated limit while timeouts stay rare, up to the ceiling', () => {
    const limit = new AdaptiveConcurrencyLimit(options);
    for (let i = 0; i < 40; i++) runWindow(limit, 0, 0, true);
    expect(limit.limit).toBe(options.max);
  });

  test('does not grow when not saturated', () => {
    const limit = new AdaptiveConcurrencyLimit(options);
    for (let i = 0; i < 10; i++) runWindow(limit, 60, 0, false);
    expect(limit.limit).toBe(options.initial);
  });
});

describe('DestinationRateLimiter', () => {
  test('allows the burst at once, then spaces queries at 1/qps per destination', () => {
    let now = 0;
    const rate = new DestinationRateLimiter(() => now);
    const waits = Array.from({ length: 6 }, () => rate.reserve('ns1', 10, 3));
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
    expect(rate.reserve('ns2', 10, 3)).toBe(0); // another destination has its own budget
    now = 1000;
    expect(rate.reserve('ns1', 10, 3)).toBe(0);
    expect(rate.waits).toBe(3);
  });

  test('refuses (reserving nothing) a wait that would pass the deadline', () => {
    const now = 0;
    const rate = new DestinationRateLimiter(() => now);
    rate.reserve('ns1', 1, 1);
    expect(rate.reserve('ns1', 1, 1, 500)).toBeNull();
    expect(rate.reserve('ns1', 1, 1)).toBe(1000);
  });

  test('qps 0 means unlimited', () => {
    const rate = new DestinationRateLimiter(() => 0);
    for (let i = 0; i < 1000; i++) expect(rate.reserve('r', 0, 1)).toBe(0);
  });

  test('forgets idle destinations so memory does not grow with the number of servers seen', () => {
    let now = 0;
    const rate = new DestinationRateLimiter(() => now);
    for (let i = 0; i < 5000; i++) rate.reserve(`ns${i}`, 10, 1);
    now = 5000;
    rate.reserve('trigger', 10, 1);
    expect(rate.destinations).toBeLessThan(10);
  });
});

describe('TtlLruCache', () => {
  test('expires entries after their TTL', () => {
    let now = 0;
    const cache = new TtlLruCache<string>(10, () => now);
    cache.set('k', 'v', 5);
    now = 4999;
    expect(cache.get('k')).toBe('v');
    now = 5000;
    expect(cache.get('k')).toBeUndefined();
  });

  test('stays within its bound, evicting the least recently used', () => {
    const cache = new TtlLruCache<number>(3, () => 0);
    cache.set('a', 1, 60);
    cache.set('b', 2, 60);
    cache.set('c', 3, 60);
    cache.get('a');
    cache.set('d', 4, 60);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.evictions).toBe(1);
  });

  test('TTL 0 is not cached', () => {
    const cache = new TtlLruCache<number>(3, () => 0);
    cache.set('a', 1, 0);
    expect(cache.get('a')).toBeUndefined();
  });
});

// Where the lab server keeps encoded answers. Precomputed answers live back to back in a few large
// buffers (an arena: one allocation per 4 MiB instead of one Buffer object per answer, which keeps
// 100,000 sites' answers to a few hundred MB and out of the garbage collector's way); each view maps
// a question key (wire.ts) to a position in the arena. Every stored wire is the answer to an EDNS
// query (it ends with the lab's OPT record) with ID 0 and RD clear, preceded by its length (2 bytes).
import type { FaultAction } from './records';

const CHUNK_BITS = 22;
const CHUNK_BYTES = 1 << CHUNK_BITS;
/** Positions stay small integers (V8 Smis), so the maps hold no boxed numbers. */
export const ARENA_LIMIT_BYTES = 1 << 30;

export class WireArena {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK_BYTES;
  private reserved = 0;

  /** Room for `length` bytes (at most one chunk); returns the position. */
  reserve(length: number): number {
    if (length > CHUNK_BYTES) throw new RangeError(`lab answer store: a ${length}-byte answer does not fit in a ${CHUNK_BYTES}-byte chunk`);
    if (this.used + length > CHUNK_BYTES) {
      if ((this.chunks.length + 1) * CHUNK_BYTES > ARENA_LIMIT_BYTES) {
        throw new RangeError(`lab answer store: precomputed answers would pass ${ARENA_LIMIT_BYTES / 2 ** 20} MiB; precompute fewer sites (warm a smaller range)`);
      }
      this.chunks.push(Buffer.allocUnsafeSlow(CHUNK_BYTES));
      this.used = 0;
    }
    const position = (this.chunks.length - 1) * CHUNK_BYTES + this.used;
    this.used += length;
    this.reserved += length;
    return position;
  }

  chunk(position: number): Buffer {
    return this.chunks[position >>> CHUNK_BITS];
  }

  offset(position: number): number {
    return position & (CHUNK_BYTES - 1);
  }

  /** Bytes allocated (whole chunks) and bytes used. */
  size(): { allocatedBytes: number; usedBytes: number } {
    return { allocatedBytes: this.chunks.length * CHUNK_BYTES, usedBytes: this.reserved };
  }
}

/** A precomputed answer that carries a fault (drop, delay, forced truncation). */
export interface FaultedEntry {
  /** Arena position of the wire; -1 for a drop (nothing is sent). */
  position: number;
  action: FaultAction;
}

/**
 * Precomputed answers of one view. A map value ≥ 0 is an arena position; a value < 0 is
 * -(index + 1) into `faulted`.
 */
export class ViewAnswers {
  readonly positions = new Map<string, number>();
  readonly faulted: FaultedEntry[] = [];

  set(key: string, position: number, action: FaultAction | undefined): void {
    if (action === undefined) this.positions.set(key, position);
    else {
      this.faulted.push({ position, action });
      this.positions.set(key, -this.faulted.length);
    }
  }
}

/** An answer cached on first demand (bounded, first in first out). */
export interface LazyEntry {
  /** Length (2 bytes) then the wire, as in the arena. */
  wire: Buffer;
  action: FaultAction | undefined;
}

export class LazyAnswers {
  private readonly entries = new Map<string, LazyEntry>();
  constructor(private readonly limit: number) {}

  get(key: string): LazyEntry | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: LazyEntry): void {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}

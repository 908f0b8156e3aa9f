/**
 * An allocator over a WebAssembly memory: aligned regions that never overlap, first-fit reuse of
 * freed blocks with coalescing, growth of the memory on demand, and typed-array views that are
 * re-created whenever growth replaced the buffer (growth detaches views of a non-shared memory).
 *
 * @example
 * const r = arena.alloc(1024);          // 64-byte aligned
 * arena.f32(r).fill(1);                 // a fresh view, valid until the next growth
 * arena.free(r);
 */
import { kapriError } from '../core/errors.js';

/** A live allocation: byte offset and size inside the module's memory. */
export interface Region {
  readonly ptr: number;
  readonly bytes: number;
}

const PAGE = 65536;
/** wasm32 can address at most 4 GiB. */
const WASM32_MAX_BYTES = 65536 * PAGE;

interface Block {
  start: number;
  size: number;
}

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly base: number;
  readonly alignment: number;
  readonly maxBytes: number;
  private top: number;
  private free_: Block[] = [];
  private readonly live = new Map<number, number>();
  private buffer: ArrayBufferLike;

  /**
   * @param memory the module's memory
   * @param base first usable byte (the module's heap base)
   * @param options alignment (power of two, default 64: a cache line, and enough for v128 loads) and
   *   maxBytes, the memory's maximum (default: wasm32's 4 GiB)
   */
  constructor(memory: WebAssembly.Memory, base: number, options: { alignment?: number; maxBytes?: number } = {}) {
    const alignment = options.alignment ?? 64;
    if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
      throw kapriError('InvalidArgument', `arena alignment must be a power of two, got ${alignment}`);
    }
    this.memory = memory;
    this.alignment = alignment;
    this.maxBytes = Math.min(options.maxBytes ?? WASM32_MAX_BYTES, WASM32_MAX_BYTES);
    this.base = this.alignUp(base);
    this.top = this.base;
    this.buffer = memory.buffer;
  }

  private alignUp(n: number): number {
    return Math.ceil(n / this.alignment) * this.alignment;
  }

  /** Bytes currently handed out (after alignment). */
  get usedBytes(): number {
    let s = 0;
    for (const v of this.live.values()) s += v;
    return s;
  }

  /** The high-water mark: one past the highest byte ever reserved since the last reset. */
  get highWater(): number {
    return this.top;
  }

  /** Number of live regions. */
  get liveCount(): number {
    return this.live.size;
  }

  /**
   * Reserves `bytes` (a non-negative integer; 0 gives a distinct one-alignment region) aligned to the
   * arena's alignment. Throws `InvalidArgument` for negative or non-integer sizes and `OutOfMemory`
   * when the memory cannot grow enough.
   */
  alloc(bytes: number): Region {
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
      throw kapriError('InvalidArgument', `arena.alloc needs a non-negative integer byte count, got ${String(bytes)}`, {
        bytes,
      });
    }
    const size = this.alignUp(Math.max(bytes, 1));
    if (size > this.maxBytes - this.base) {
      throw kapriError(
        'OutOfMemory',
        `arena.alloc(${bytes}) exceeds what this memory can ever hold (${this.maxBytes - this.base} bytes above the heap base)`,
        { bytes, maxBytes: this.maxBytes },
      );
    }
    const i = this.free_.findIndex((b) => b.size >= size);
    let ptr: number;
    if (i >= 0) {
      const b = this.free_[i]!;
      ptr = b.start;
      if (b.size === size) this.free_.splice(i, 1);
      else {
        b.start += size;
        b.size -= size;
      }
    } else {
      ptr = this.top;
      this.ensureCapacity(ptr + size, bytes);
      this.top = ptr + size;
    }
    this.live.set(ptr, size);
    return { ptr, bytes };
  }

  /** Returns a region to the arena. Freeing a region twice, or one it never gave out, is an error. */
  free(region: Region): void {
    const size = this.live.get(region.ptr);
    if (size === undefined) {
      throw kapriError(
        'InvalidArgument',
        `arena.free: no live region at offset ${region.ptr} (double free or foreign region)`,
        {
          ptr: region.ptr,
        },
      );
    }
    this.live.delete(region.ptr);
    this.insertFree({ start: region.ptr, size });
  }

  /** Frees every region at once (the next allocation starts at the base again). */
  reset(): void {
    this.live.clear();
    this.free_ = [];
    this.top = this.base;
  }

  /** True when [ptr, ptr + bytes) lies entirely inside one live region. */
  contains(ptr: number, bytes: number): boolean {
    if (!Number.isInteger(ptr) || !Number.isInteger(bytes) || ptr < 0 || bytes < 0) return false;
    // A region's own start (every kernel wrapper's check): one lookup. Regions never overlap, so a
    // range from a region's start lies in a live region exactly when it fits in that one. The scan
    // below, for offsets inside a region, cost each check a pass over every live region: with eight
    // models planned in one module the last one's inference ran 25% slower than the first's.
    const own = this.live.get(ptr);
    if (own !== undefined) return bytes <= own;
    for (const [start, size] of this.live) {
      if (ptr >= start && ptr + bytes <= start + size) return true;
    }
    return false;
  }

  /**
   * Views of a region; each call returns a view valid until the next growth. A view is checked
   * against the region: the region must be live in this arena and the view must fit inside it, so
   * that a write through a view can never reach memory another region (another model) owns.
   * Throws `InvalidArgument` otherwise.
   */
  u8At(r: Region, length = r.bytes): Uint8Array {
    return new Uint8Array(this.currentBuffer(), this.checkedView(r, length, 1, 'u8'), length);
  }
  i8(r: Region, length = r.bytes): Int8Array {
    return new Int8Array(this.currentBuffer(), this.checkedView(r, length, 1, 'i8'), length);
  }
  i32(r: Region, length = r.bytes >> 2): Int32Array {
    return new Int32Array(this.currentBuffer(), this.checkedView(r, length, 4, 'i32'), length);
  }
  u32(r: Region, length = r.bytes >> 2): Uint32Array {
    return new Uint32Array(this.currentBuffer(), this.checkedView(r, length, 4, 'u32'), length);
  }
  f32(r: Region, length = r.bytes >> 2): Float32Array {
    return new Float32Array(this.currentBuffer(), this.checkedView(r, length, 4, 'f32'), length);
  }

  /** The region's offset, once the view of `length` elements of `width` bytes is known to fit it. */
  private checkedView(r: Region, length: number, width: number, what: string): number {
    const size = this.live.get(r.ptr);
    if (size === undefined || !Number.isInteger(length) || length < 0 || length * width > r.bytes || r.bytes > size) {
      throw kapriError(
        'InvalidArgument',
        `arena.${what}: a view of ${length} element(s) (${length * width} bytes) at offset ${r.ptr} does not fit ` +
          (size === undefined ? 'any live region' : `its region of ${r.bytes} bytes`),
        { ptr: r.ptr, bytes: r.bytes, length, width },
      );
    }
    return r.ptr;
  }

  private currentBuffer(): ArrayBufferLike {
    this.refresh();
    return this.buffer;
  }

  private refresh(): void {
    const b = this.memory.buffer;
    if (b !== this.buffer || b.byteLength !== this.buffer.byteLength) {
      this.buffer = b;
    }
  }

  private ensureCapacity(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw kapriError(
        'OutOfMemory',
        `arena.alloc(${requested}): the WebAssembly memory could not grow by ${pages} pages (${(e as Error).message})`,
        { bytes: requested },
      );
    }
    this.refresh();
  }

  private insertFree(block: Block): void {
    // Keep the list sorted by address and merge neighbours, then give the tail back to `top`.
    let i = 0;
    while (i < this.free_.length && this.free_[i]!.start < block.start) i++;
    this.free_.splice(i, 0, block);
    const prev = this.free_[i - 1];
    if (prev && prev.start + prev.size === block.start) {
      prev.size += block.size;
      this.free_.splice(i, 1);
      i--;
    }
    const cur = this.free_[i]!;
    const next = this.free_[i + 1];
    if (next && cur.start + cur.size === next.start) {
      cur.size += next.size;
      this.free_.splice(i + 1, 1);
    }
    const last = this.free_[this.free_.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      this.free_.pop();
    }
  }
}

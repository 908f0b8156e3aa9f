import { describe, expect, it } from 'vitest';
import { isolateMemoryMb, peakMemory, peakMemoryReport, sampledSink } from '../../src/pipeline/jobMemory.js';

describe('job memory', () => {
  it('counts memory held outside the JavaScript heap (typed arrays, WebAssembly memory)', () => {
    const before = isolateMemoryMb();
    const held = new WebAssembly.Memory({ initial: 1024 }); // 64 MiB
    new Uint8Array(held.buffer).fill(1);
    expect(isolateMemoryMb() - before).toBeGreaterThan(60);
    expect(held.buffer.byteLength).toBe(64 * 2 ** 20);
  });

  it('keeps the highest sample, reading at most once per interval', () => {
    const values = [10, 50, 20, 5];
    let reads = 0;
    const p = peakMemory(0, () => values[Math.min(reads++, values.length - 1)]!);
    p.sample();
    p.sample();
    expect(p.peakMb()).toBe(50);
    const slow = peakMemory(60_000, () => {
      reads++;
      return 1;
    });
    const at = reads;
    slow.sample();
    slow.sample();
    expect(reads).toBe(at);
  });

  it('samples on every progress event and passes the event on', () => {
    let reads = 0;
    const seen: string[] = [];
    const sink = sampledSink(
      peakMemory(0, () => ++reads),
      (e) => seen.push(e.stage),
    );
    sink({ stage: 'source', step: 1, total: 2 });
    sink({ stage: 'source', step: 2, total: 2 });
    expect(seen).toEqual(['source', 'source']);
    expect(reads).toBe(3);
  });

  it('reports each seed in order and the largest', () => {
    expect(peakMemoryReport([120.5, 300.1, 99])).toEqual({ perSeed: [120.5, 300.1, 99], max: 300.1 });
  });
});

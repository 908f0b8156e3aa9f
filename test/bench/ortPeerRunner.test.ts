/**
 * The peer runner's rules on fakes (no onnxruntime, no timing): runPeers turns runs into rows,
 * notes and faults; runOrtWebJobs refuses to time when onnxruntime-web did not take the thread count
 * asked for, and runs the jobs only after a session opened once.
 */
import { describe, expect, it } from 'vitest';
import { ortImpl } from '../../bench/modelVsOrt.js';
import { type OrtPeerRunner, type OrtWebApi, runOrtWebJobs, runPeers } from '../../bench/ortPeerRunner.js';
import type { OrtJob, OrtTensorLike } from '../../bench/ortSession.js';

const job = (label: string, y: number): OrtJob => ({
  label,
  bytes: new Uint8Array(1),
  input: { name: 'x', data: Int8Array.of(1), dims: [1] },
  expected: { y: Int8Array.of(y) },
  measure: { warmup: 0, reps: 3 },
});

/** An onnxruntime-web that returns y = 7 and, when initialised, keeps at most `maxThreads` threads. */
const fakeOrtWeb = (maxThreads: number): OrtWebApi & { sessions: number } => {
  const api = {
    sessions: 0,
    env: { versions: { web: '9.9.9' }, wasm: {} as { numThreads?: number } },
    InferenceSession: {
      create: async () => {
        api.sessions++;
        api.env.wasm.numThreads = Math.min(api.env.wasm.numThreads ?? 1, maxThreads);
        return {
          inputNames: ['x'],
          outputNames: ['y'],
          run: async () => ({ y: { data: Int8Array.of(7), dims: [1] } as OrtTensorLike }),
          release: async () => undefined,
        };
      },
    },
    Tensor: class {
      constructor(
        readonly type: string,
        readonly data: unknown,
        readonly dims: readonly number[],
      ) {}
    },
  };
  return api;
};

describe('runOrtWebJobs', () => {
  it('times the jobs after one untimed session when the thread count took effect', async () => {
    const ort = fakeOrtWeb(4);
    const run = await runOrtWebJobs(
      () => ort,
      2,
      [job('a', 7), job('b', 8)],
      () => 1,
    );
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    expect(run.results.map((r) => r.ok)).toEqual([true, false]);
    expect(run.note).toMatch(/onnxruntime-web 9\.9\.9 on 2 threads: env\.wasm\.numThreads 2 .*1 pthread worker/);
    expect(ort.sessions).toBe(3);
  });

  it('gives no rows when onnxruntime-web fell back to fewer threads or started too few', async () => {
    const fell = await runOrtWebJobs(() => fakeOrtWeb(1), 2, [job('a', 7)]);
    expect(fell).toMatchObject({ ok: false });
    expect(!fell.ok && fell.reason).toMatch(/did not run on the 2 thread\(s\) asked for \(env\.wasm\.numThreads 1/);
    const few = await runOrtWebJobs(
      () => fakeOrtWeb(2),
      2,
      [job('a', 7)],
      () => 0,
    );
    expect(!few.ok && few.reason).toMatch(/0 pthread worker\(s\) started/);
    const broken = await runOrtWebJobs(
      () => {
        throw new Error('no wasm');
      },
      1,
      [job('a', 7)],
    );
    expect(broken).toEqual({ ok: false, reason: 'onnxruntime-web failed: no wasm' });
  });
});

describe('runPeers', () => {
  it('makes rows of timed jobs, faults of mismatches and notes of peers that could not run', async () => {
    const runner: OrtPeerRunner = {
      peers: ['onnxruntime-web', 'onnxruntime-node'],
      where: 'a test',
      run: async (peer, threads) =>
        peer === 'onnxruntime-node'
          ? { ok: false, reason: 'not here' }
          : {
              ok: true,
              results: [
                { label: 'a', ok: true, msMedian: threads },
                { label: 'b', ok: false, fault: 'differs' },
              ],
              ...(threads > 1 ? { note: 'two threads' } : {}),
            },
    };
    const lines: string[] = [];
    const r = await runPeers(runner, [1, 2], [], 'kernels', (l) => lines.push(l));
    expect(r.rows).toEqual([
      { label: 'a', impl: ortImpl('onnxruntime-web', 1), msMedian: 1 },
      { label: 'a', impl: ortImpl('onnxruntime-web', 2), msMedian: 2 },
    ]);
    expect(r.faults).toEqual([
      "b onnxruntime-web-int8-1t: not timed, its outputs differ from kapri's: differs",
      "b onnxruntime-web-int8-2t: not timed, its outputs differ from kapri's: differs",
    ]);
    expect(r.notes).toEqual([
      'kernels: two threads',
      'kernels: onnxruntime-node-int8-1t: no rows: not here',
      'kernels: onnxruntime-node-int8-2t: no rows: not here',
    ]);
    expect(lines).toContain('kernels: onnxruntime-web, 2 thread(s)');
  });
});

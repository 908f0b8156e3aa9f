/**
 * How the bench's sections reach their onnxruntime peers, wherever the bench runs. A runner takes a
 * peer, a thread count and jobs (bench/ortSession.ts) and gives one result per job, or why the peer
 * could not run. Node passes the runner of bench/ortPeers.ts (onnxruntime-web in worker threads,
 * onnxruntime-node in its own process); the browser bench passes the one of
 * bench/browser/ortWebWorkers.ts (onnxruntime-web in Web Workers). The sections that build the jobs,
 * check the bits and form the rows (bench/kernelsOrt.ts, bench/modelsEndToEnd.ts) take the runner as
 * a parameter, so they are the same code in both places. This file imports nothing of Node.
 */
import { type OrtPeer, ortImpl } from './modelVsOrt.js';
import { benchOrtJob, type OrtApi, type OrtJob, type OrtJobResult } from './ortSession.js';

/** What a peer ran: one result per job, or why the whole peer could not run. */
export type OrtPeerRun =
  | { readonly ok: true; readonly results: readonly OrtJobResult[]; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/** Runs jobs on the peers of one place (Node, a browser page). */
export interface OrtPeerRunner {
  /** The peers this runner can run, in row order. */
  readonly peers: readonly OrtPeer[];
  /** Where the peers run, for the notes (after "run in"): e.g. `Web Workers of the page (…)`. */
  readonly where: string;
  /** Runs `jobs` in `peer` on `threads` threads. */
  run(peer: OrtPeer, threads: number, jobs: readonly OrtJob[]): Promise<OrtPeerRun>;
}

/** One timed job of a peer on a thread count. */
export interface PeerRow {
  /** The job's label. */
  readonly label: string;
  /** The row impl: `onnxruntime-web-int8-2t`. */
  readonly impl: string;
  readonly msMedian: number;
}

/** What {@link runPeers} gathered over every peer and thread count. */
export interface PeerRows {
  readonly rows: PeerRow[];
  readonly notes: string[];
  /** Jobs whose outputs differed from kapri's (not timed): faults of the run (summary.validity). */
  readonly faults: string[];
}

/**
 * Runs `jobs` on every peer of `runner` and every thread count: a peer that cannot run gives a note
 * and no rows, a job whose outputs differ from kapri's a fault and no row. `section` prefixes the
 * progress lines and notes (`kernels`, `models`).
 */
export const runPeers = async (
  runner: OrtPeerRunner,
  threadCounts: readonly number[],
  jobs: readonly OrtJob[],
  section: string,
  log: (line: string) => void,
): Promise<PeerRows> => {
  const out: PeerRows = { rows: [], notes: [], faults: [] };
  for (const peer of runner.peers) {
    for (const threads of threadCounts) {
      const impl = ortImpl(peer, threads);
      log(`${section}: ${peer}, ${threads} thread(s)`);
      const run = await runner.run(peer, threads, jobs);
      if (!run.ok) {
        out.notes.push(`${section}: ${impl}: no rows: ${run.reason}`);
        continue;
      }
      if (run.note !== undefined) out.notes.push(`${section}: ${run.note}`);
      for (const r of run.results) {
        if (r.ok) out.rows.push({ label: r.label, impl, msMedian: r.msMedian });
        else out.faults.push(`${r.label} ${impl}: not timed, its outputs differ from kapri's: ${r.fault}`);
      }
    }
  }
  return out;
};

/** The part of onnxruntime-web's module its realms use beyond {@link OrtApi}. */
export interface OrtWebApi extends OrtApi {
  readonly env: {
    readonly versions?: { readonly web?: string };
    readonly wasm: { numThreads?: number; wasmPaths?: string; initTimeout?: number };
  };
}

const WASM = { executionProviders: ['wasm'] };

/**
 * Runs jobs in onnxruntime-web on `threads` threads, in a realm of their own (a worker thread in
 * Node, a Web Worker in a browser): onnxruntime-web fixes its thread count when its wasm first
 * initialises, once per realm, and falls back to one thread when it cannot start its threaded build.
 * So a session is opened once before any timing, and the thread count it then reports
 * (`env.wasm.numThreads`), and where the realm can count them the threads it started besides the
 * calling one (`startedThreads`), must be what was asked for; if not, the peer gives no rows.
 * `load` returns the module with its paths set (only its thread count is set here).
 */
export const runOrtWebJobs = async (
  load: () => OrtWebApi | Promise<OrtWebApi>,
  threads: number,
  jobs: readonly OrtJob[],
  startedThreads?: () => number,
): Promise<OrtPeerRun> => {
  try {
    const ort = await load();
    ort.env.wasm.numThreads = threads;
    if (jobs.length > 0) await (await ort.InferenceSession.create(jobs[0]!.bytes, WASM)).release();
    const numThreads = ort.env.wasm.numThreads;
    const started = startedThreads?.();
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    const facts = [
      `env.wasm.numThreads ${numThreads} after its wasm initialised`,
      ...(started === undefined ? [] : [`${started} pthread worker(s) started besides the calling thread`]),
      ...(isolated === undefined ? [] : [`crossOriginIsolated ${isolated}`]),
    ].join(', ');
    if (numThreads !== threads || (started !== undefined && started !== threads - 1))
      return {
        ok: false,
        reason: `onnxruntime-web did not run on the ${threads} thread(s) asked for (${facts}): its threaded build could not start here`,
      };
    const results: OrtJobResult[] = [];
    for (const job of jobs) results.push(await benchOrtJob(ort, job, WASM));
    return {
      ok: true,
      results,
      ...(threads > 1
        ? {
            note: `onnxruntime-web${ort.env.versions?.web ? ` ${ort.env.versions.web}` : ''} on ${threads} threads: ${facts}`,
          }
        : {}),
    };
  } catch (e) {
    return { ok: false, reason: `onnxruntime-web failed: ${(e as Error).message ?? String(e)}` };
  }
};

/**
 * The source of a pool worker, as a string so that it runs unchanged as a Node `worker_threads`
 * eval worker and as a browser Web Worker from a Blob URL, with no file to locate or bundle.
 *
 * Control block (Int32): [0] generation, [1] finished chunks of the current job, [2] kernel index
 * (−1: exit, −2: an empty job that only measures the hand-off), [3] argument count, [4] failure flag,
 * [5] id of a worker that died (0: none), [6] chunks of the job, [8] workers
 * asleep in Atomics.wait, [9] keep-warm flag (the caller is in a burst of calls), [10] worker spin
 * budget in microseconds, [11] keep-warm cap in microseconds, [NEXT] the job's tag·1024 + the next
 * chunk to take, [BOUNDS + j] chunk j's first item (chunk j is `[b[j], b[j+1])`).
 *
 * A job's items are cut into chunks that shrink towards the end (guidedChunks.ts); every thread,
 * the caller first, takes the next one from the counter, so a worker that is late (asleep,
 * descheduled) costs the call little: the caller goes on taking chunks. A worker takes a chunk by a
 * compare-exchange of the counter that checks the job's tag (its generation's low 21 bits), so a
 * worker that read an old job's arguments can never take a chunk of a newer one.
 * After a job a worker spins on the generation word for its spin budget (longer, up to the cap,
 * while the caller keeps it warm), then sleeps on `Atomics.wait`. A worker that dies of an
 * uncaught error says so in [5].
 */
export const POOL_WORKER_LOOP = `
function kapriPoolInstance(d) {
  return new WebAssembly.Instance(d.module, { env: { memory: d.memory, abort: () => { throw new Error('kapri kernel aborted'); } } });
}
function kapriPoolLoop(d, inst) {
  const ctl = new Int32Array(d.control);
  const args = new Float64Array(d.args);
  const NEXT = d.next, BOUNDS = d.bounds;
  // Generation 0 is the pool's start: no job is posted before every worker has said 'ready'.
  let gen = 0;
  let active = performance.now();
  for (;;) {
    // Spin on the generation word (calls of an inference come back to back, and a futex wake-up
    // costs tens of microseconds, far more when the host is busy), bounded in time so that an
    // idle app does not burn a core: then sleep.
    // The spin budget counts from the last job or, while the caller keeps the pool warm (up to
    // the cap after the last job), from the last time the worker saw the flag: a burst's spin
    // outlasts the burst by the usual budget, so the next inference of a stream finds it awake.
    let now = Atomics.load(ctl, 0);
    let warmSeen = active;
    for (let i = 0; now === gen; i++) {
      if ((i & 255) === 255) {
        const t = performance.now();
        if (Atomics.load(ctl, 9) !== 0 && (t - active) * 1000 <= Atomics.load(ctl, 11)) warmSeen = t;
        if ((t - warmSeen) * 1000 > Atomics.load(ctl, 10)) {
          Atomics.add(ctl, 8, 1);
          Atomics.wait(ctl, 0, gen);
          Atomics.sub(ctl, 8, 1);
          active = performance.now();
          warmSeen = active;
        }
      }
      now = Atomics.load(ctl, 0);
    }
    gen = now;
    const kernel = Atomics.load(ctl, 2);
    if (kernel === -1) break;
    const tag = (gen & 0x1fffff) * 1024;
    const chunks = ctl[6];
    const a = [];
    for (let i = 0; i < ctl[3]; i++) a.push(args[i]);
    const f = kernel >= 0 ? inst.exports[d.names[kernel]] : null;
    for (;;) {
      const c = Atomics.load(ctl, NEXT);
      const j = c - tag;
      if (j < 0 || j >= chunks) break;
      if (Atomics.compareExchange(ctl, NEXT, c, c + 1) !== c) continue;
      const s = ctl[BOUNDS + j], e = ctl[BOUNDS + j + 1];
      try {
        if (f !== null) f.apply(null, a.concat(s, e));
      } catch (err) {
        Atomics.store(ctl, 4, d.id);
      }
      Atomics.add(ctl, 1, 1);
      Atomics.notify(ctl, 1);
    }
    active = performance.now();
  }
}
`;

/** Node: an eval worker reading its setup from workerData. */
export const NODE_POOL_WORKER = `${POOL_WORKER_LOOP}
const { parentPort, workerData } = require('node:worker_threads');
process.on('exit', () => {
  const ctl = new Int32Array(workerData.control);
  Atomics.compareExchange(ctl, 5, 0, workerData.id);
  Atomics.notify(ctl, 1);
});
const inst = kapriPoolInstance(workerData);
parentPort.postMessage('ready');
kapriPoolLoop(workerData, inst);
`;

/** Browser: a worker that receives its setup in the first message. */
export const WEB_POOL_WORKER = `${POOL_WORKER_LOOP}
self.onerror = () => {
  const ctl = new Int32Array(kapriSetup.control);
  Atomics.compareExchange(ctl, 5, 0, kapriSetup.id);
  Atomics.notify(ctl, 1);
};
let kapriSetup;
self.onmessage = (e) => {
  kapriSetup = e.data;
  const inst = kapriPoolInstance(e.data);
  self.postMessage('ready');
  kapriPoolLoop(e.data, inst);
};
`;

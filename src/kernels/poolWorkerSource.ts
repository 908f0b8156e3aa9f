/**
 * The source of a pool worker, as a string so that it runs unchanged as a Node `worker_threads`
 * eval worker and as a browser Web Worker from a Blob URL, with no file to locate or bundle.
 *
 * Control block (Int32): [0] generation, [1] finished workers, [2] kernel index (−1: exit),
 * [3] argument count, [4] failure flag, [5] id of a worker that died (0: none),
 * [8 + 2i, 9 + 2i] the range of worker i (i ≥ 1), [CLAIM + i] worker i's claim on the current job.
 * The worker instantiates (and only then says 'ready') the shared module over the shared memory, sleeps on the generation
 * with Atomics.wait, claims its job (0 → 1; a caller that gave up on it has written −1, and then it
 * exits instead of writing into memory the caller has moved on from), runs its range of the named
 * kernel and counts itself finished. A worker that dies of an uncaught error says so in [5].
 */
export const POOL_WORKER_LOOP = `
function kapriPoolInstance(d) {
  return new WebAssembly.Instance(d.module, { env: { memory: d.memory, abort: () => { throw new Error('kapri kernel aborted'); } } });
}
function kapriPoolLoop(d, inst) {
  const ctl = new Int32Array(d.control);
  const claim = d.claimBase + d.id;
  const args = new Float64Array(d.args);
  // Generation 0 is the pool's start: no job is posted before every worker has said 'ready'.
  let gen = 0;
  for (;;) {
    // Spin briefly before sleeping: an inference issues kernel calls back to back, and a futex
    // wake-up (tens of microseconds, far more when the host is busy) would eat a small call's gain.
    let now = Atomics.load(ctl, 0);
    for (let spin = 0; now === gen && spin < d.spin; spin++) now = Atomics.load(ctl, 0);
    if (now === gen) {
      Atomics.wait(ctl, 0, gen);
      now = Atomics.load(ctl, 0);
      if (now === gen) continue;
    }
    gen = now;
    const kernel = Atomics.load(ctl, 2);
    if (kernel < 0) break;
    if (Atomics.compareExchange(ctl, claim, 0, 1) !== 0) break;
    const s = ctl[8 + 2 * d.id], e = ctl[9 + 2 * d.id];
    try {
      if (e > s) {
        const a = [];
        for (let i = 0; i < ctl[3]; i++) a.push(args[i]);
        a.push(s, e);
        inst.exports[d.names[kernel]].apply(null, a);
      }
    } catch (err) {
      Atomics.store(ctl, 4, d.id);
    }
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
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

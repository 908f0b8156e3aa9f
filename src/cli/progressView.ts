/**
 * Progress for the terminal. On a TTY: one updating line, the whole run's position (stages done,
 * elapsed, an estimate of the rest) before the current stage's bar. Otherwise (logs and CI): one line
 * per finished stage, a seed's pipeline stages with the run's position and time left.
 */
import type { ProgressEvent, ProgressSink } from '../core/progress.js';
import { createRunProgress, formatDuration, formatRunStatus, type RunPlan } from './runProgress.js';

export const progressView = (stream: NodeJS.WriteStream, plan?: RunPlan): { sink: ProgressSink; done: () => void } => {
  const tty = stream.isTTY === true;
  const run = plan ? createRunProgress(plan) : null;
  let current: string | null = null;
  const started = new Map<string, number>();
  const bar = (e: ProgressEvent): string => {
    const w = 24;
    const f = e.total > 0 ? Math.min(1, e.step / e.total) : 1;
    const filled = Math.round(f * w);
    return `${e.stage.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${String(e.step).padStart(5)}/${e.total} ${e.message ?? ''}`;
  };
  const sink: ProgressSink = (e) => {
    if (e.stageDone && run) run.record(e.stageDone.seed, e.stageDone.stage, e.stageDone.seconds);
    if (!started.has(e.stage)) started.set(e.stage, performance.now());
    if (tty) {
      if (current !== null && current !== e.stage && !e.stageDone) stream.write('\n');
      if (!e.stageDone) current = e.stage;
      const where = run ? `[${formatRunStatus(run.status())}] ` : '';
      stream.write(`\r${(where + bar(e)).slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
      return;
    }
    if (e.stageDone) {
      const d = e.stageDone;
      const where = run ? `; run: ${formatRunStatus(run.status())}` : '';
      stream.write(`seed ${d.seed}: ${d.stage} done in ${formatDuration(d.seconds)}${where}\n`);
      return;
    }
    // Plain output: a line when a stage finishes (or reports without steps).
    if (e.step >= e.total) {
      const s = ((performance.now() - started.get(e.stage)!) / 1000).toFixed(1);
      stream.write(`${e.stage}: done in ${s} s${e.message ? ` (${e.message})` : ''}\n`);
      started.delete(e.stage);
    }
  };
  return { sink, done: () => (tty && current !== null ? void stream.write('\n') : undefined) };
};

/**
 * Progress for the terminal: an updating bar per stage on a TTY, one line per stage otherwise
 * (logs and CI). Reads the pipeline's progress events.
 */
import type { ProgressEvent, ProgressSink } from '../core/progress.js';

export const progressView = (stream: NodeJS.WriteStream): { sink: ProgressSink; done: () => void } => {
  const tty = stream.isTTY === true;
  let current: string | null = null;
  const started = new Map<string, number>();
  const bar = (e: ProgressEvent): string => {
    const w = 24;
    const f = e.total > 0 ? Math.min(1, e.step / e.total) : 1;
    const filled = Math.round(f * w);
    return `${e.stage.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${String(e.step).padStart(5)}/${e.total} ${e.message ?? ''}`;
  };
  const sink: ProgressSink = (e) => {
    if (!started.has(e.stage)) started.set(e.stage, performance.now());
    if (tty) {
      if (current !== null && current !== e.stage) stream.write('\n');
      current = e.stage;
      stream.write(`\r${bar(e).slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
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

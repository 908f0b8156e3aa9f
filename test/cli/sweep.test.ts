/**
 * `kapri sweep` and `kapri worker` through the compiled CLI: a small grid run here, resumed, refused
 * when malformed; then the same grid on a real Redis (Debian's redis-server on a loopback port of its
 * own) with two workers, one killed mid-cell: every cell is stored exactly once and the combined report
 * equals the local one. Without redis-server the queue test is skipped with its reason, unless
 * KAPRI_REQUIRE_REDIS=1 (CI), where its absence fails.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kapriCli, ROOT as root, CLI } from '../support/cli.js';

const kapri = kapriCli;
const dir = mkdtempSync(join(tmpdir(), 'kapri-sweep-'));

const TINY = {
  data: { sourceTrain: 64, sourceLabelled: 32, targetLabelled: 16, targetTest: 16, sweep: [16], gammaSweep: [] },
  teacher: { width: 2, steps: 3, lr: 0.003, batchSize: 16 },
  student: { width: 2, steps: 3, lr: 0.003, batchSize: 16 },
  target: { steps: 2, lr: 0.001, batchSize: 8 },
  prior: { fisherBatches: 1, kap: { steps: 2 } },
  compress: { calibrationSamples: 16 },
};
const sweepFile = join(dir, 'sweep.json');
writeFileSync(
  sweepFile,
  JSON.stringify({
    preset: 'quick',
    scenarios: ['gauss'],
    seeds: 2,
    overlays: { base: TINY, wide: { ...TINY, student: { ...TINY.student, width: 3 } } },
  }),
);
const local = join(dir, 'local');
const cellsOf = (out: string) => readdirSync(join(out, 'cells')).sort();

describe('kapri sweep, here', () => {
  it('runs every cell as a run of its own and writes the cells, sweep.json and sweep.html', () => {
    const r = kapri('sweep', sweepFile, '--out', local, '--jobs', '1');
    expect(r.stderr).not.toMatch(/kapri: /);
    expect(r.status).toBe(0);
    const combined = JSON.parse(readFileSync(join(local, 'sweep.json'), 'utf8'));
    expect(combined.cells.map((c: { id: string }) => c.id).sort()).toEqual(cellsOf(local));
    expect(combined.cells.map((c: { overlay: string }) => c.overlay)).toEqual(['base', 'wide']);
    for (const id of cellsOf(local)) {
      const rep = JSON.parse(readFileSync(join(local, 'cells', id, 'report.json'), 'utf8'));
      expect(rep.seeds).toEqual([1, 2]);
      expect(existsSync(join(local, 'cells', id, 'model.kapri'))).toBe(true);
    }
    expect(readFileSync(join(local, 'sweep.html'), 'utf8')).toContain(`href="cells/${cellsOf(local)[0]}/report.html"`);
  }, 180_000);

  it('resumes: run again, it runs no finished cell and writes the same combined report', () => {
    const before = readFileSync(join(local, 'sweep.json'), 'utf8');
    const r = kapri('sweep', sweepFile, '--out', local);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/2 cells \(2 already done\)/);
    expect(r.stderr).not.toMatch(/: running/);
    expect(readFileSync(join(local, 'sweep.json'), 'utf8')).toBe(before);
  }, 60_000);

  it.each([
    [{ scenarios: ['gauss'], overlays: { bad: { student: { wdth: 3 } } } }, /overlay 'bad': unknown key student\.wdth/],
    [{ scenario: ['gauss'] }, /unknown key scenario/],
  ])('refuses a malformed sweep before any work and writes nothing: %j', (body, message) => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify(body));
    const out = join(dir, 'bad-out');
    const r = kapri('sweep', f, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a queue address that is not redis://', () => {
    const r = kapri('worker', '--queue', 'http://127.0.0.1:1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--queue takes redis:\/\/HOST:PORT/);
  });
});

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const requireRedis = process.env['KAPRI_REQUIRE_REDIS'] === '1';
if (!hasRedis)
  console.log(`kapri sweep on a queue: ${requireRedis ? 'FAILING' : 'skipped'}: redis-server is not installed`);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A process whose stderr (and stdout) is collected, and a wait for a line matching `re`. */
const started = (args: string[], opts: { detached?: boolean; cmd?: string } = {}) => {
  const p = spawn(opts.cmd ?? process.execPath, opts.cmd ? args : [CLI, ...args], {
    cwd: root,
    detached: opts.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  p.stdout!.on('data', (d) => (log += d));
  p.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => p.on('close', resolve));
  const waitFor = async (re: RegExp, ms: number): Promise<RegExpExecArray> => {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(log);
      if (m) return m;
      if (Date.now() > end || p.exitCode !== null) throw new Error(`no ${re} within ${ms} ms; log:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { p, log: () => log, exited, waitFor };
};

const spawned: ChildProcess[] = [];
afterAll(() => {
  for (const p of spawned) if (p.exitCode === null) p.kill('SIGKILL');
});

describe('kapri sweep on a Redis queue', () => {
  it.runIf(!hasRedis && requireRedis)('needs redis-server (KAPRI_REQUIRE_REDIS=1)', () => {
    expect.fail('redis-server is not installed: apt-get install redis-server');
  });

  it.runIf(hasRedis)(
    'gives every cell exactly once and the local combined report, with a worker killed mid-cell',
    async () => {
      const port = await freePort();
      const redis = started(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        cmd: 'redis-server',
      });
      spawned.push(redis.p);
      await redis.waitFor(/Ready to accept connections/, 10_000);
      const url = `redis://127.0.0.1:${port}`;
      const out = join(dir, 'queued');
      const sweep = started(['sweep', sweepFile, '--out', out, '--queue', url]);
      spawned.push(sweep.p);
      // Worker A takes the first cell; it is killed (with the run it started) while that cell trains.
      const a = started(['worker', '--queue', url, '--jobs', '2', '--lock-ms', '2000'], { detached: true });
      spawned.push(a.p);
      const killed = (await a.waitFor(/cell (\S+): started/, 60_000))[1]!;
      const b = started(['worker', '--queue', url, '--jobs', '1', '--lock-ms', '2000']);
      spawned.push(b.p);
      await a.waitFor(new RegExp(`cell ${killed}: .*seed 1`), 60_000);
      expect(a.log()).not.toMatch(new RegExp(`cell ${killed}: done`));
      process.kill(-a.p.pid!, 'SIGKILL');

      expect(await sweep.exited).toBe(0);
      const stored = [...sweep.log().matchAll(/cell (\S+): stored/g)].map((m) => m[1]).sort();
      expect(stored).toEqual(cellsOf(local));
      // The killed cell ran again, on worker B, once its lock lapsed.
      expect(b.log()).toMatch(new RegExp(`cell ${killed}: started \\(attempt \\d\\)`));
      expect(b.log()).toMatch(new RegExp(`cell ${killed}: done`));
      expect(cellsOf(out)).toEqual(cellsOf(local));
      const combined = (o: string) => JSON.parse(readFileSync(join(o, 'sweep.json'), 'utf8'));
      expect(combined(out)).toEqual(combined(local));

      b.p.kill('SIGTERM');
      expect(await b.exited).toBe(0);
      redis.p.kill('SIGTERM');
    },
    240_000,
  );
});

/** `kapri inspect` and `kapri devices` through the compiled CLI. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallModelBytes } from '../runtime/qmodelFixture.js';
import { kapriCli } from '../support/cli.js';

const kapri = kapriCli;
const dir = mkdtempSync(join(tmpdir(), 'kapri-cli-'));

describe('kapri inspect', () => {
  it("prints a model's ops, shapes, quantization and checksum status", () => {
    const file = join(dir, 'ok.kapri');
    writeFileSync(file, smallModelBytes());
    const r = kapri('inspect', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/checksums and the header checksum OK/);
    expect(r.stdout).toMatch(/conv2d\s+c1\s+\[8, 8, 4\]\s+0\.05000, -128\s+108 B int8/);
  });

  it('reports a corrupt model in one paragraph with exit 1 and no stack trace', () => {
    const bytes = smallModelBytes();
    bytes[bytes.length - 1]! ^= 0xff;
    const file = join(dir, 'bad.kapri');
    writeFileSync(file, bytes);
    const r = kapri('inspect', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.kapri: section 5 fails its checksum/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a missing file', () => {
    const r = kapri('inspect', join(dir, 'none.kapri'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/none\.kapri.*ENOENT/);
  });
});

describe('kapri devices', () => {
  it('lists the three built-in profiles', () => {
    const r = kapri('devices');
    expect(r.status).toBe(0);
    for (const n of ['browser-desktop', 'phone-mid', 'mcu-class']) expect(r.stdout).toContain(n);
  });
});

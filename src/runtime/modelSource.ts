/**
 * Reads a model's bytes from a path (Node), a URL (fetch) or memory, never more than a cap: a path
 * must name a regular file (not /dev/zero, a FIFO or a directory), checked before it is opened and
 * again on the open handle, and every read stops one byte past the cap.
 */
import { kapriError } from '../core/errors.js';
import { detectEnvironment, importNode } from '../kernels/environment.js';

/** Where a model comes from. */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer;

const CHUNK = 1 << 20;

const tooLarge = (where: string, bytes: number | string, maxBytes: number) =>
  kapriError(
    'OutOfBudget',
    `model ${where} holds ${bytes} bytes, above the cap of ${maxBytes}; raise it with the option limits.maxFileBytes if the file is trusted`,
    {
      file: where,
      cap: maxBytes,
    },
  );

const kindOf = (st: import('node:fs').Stats): string =>
  st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a FIFO'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';

/** Joins chunks read so far into one array. */
const concat = (chunks: readonly Uint8Array[], total: number): Uint8Array => {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

const readFileCapped = async (path: string, maxBytes: number): Promise<Uint8Array> => {
  const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
  const { constants } = await importNode<typeof import('node:fs')>('node:fs');
  const io = (e: unknown) =>
    kapriError('Io', `cannot read model ${path}: ${(e as { code?: string }).code ?? (e as Error).message}`, {
      file: path,
    });
  const notRegular = (st: import('node:fs').Stats) =>
    kapriError('Io', `model ${path} is ${kindOf(st)}; a model is read only from a regular file`, { file: path });
  // stat first: opening a FIFO for reading would block until a writer comes, possibly forever.
  const st = await fs.stat(path).catch((e: unknown) => {
    throw io(e);
  });
  if (!st.isFile()) throw notRegular(st);
  if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes);
  // O_NONBLOCK keeps the open from hanging if the path was swapped for a FIFO since the stat.
  const fh = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((e: unknown) => {
    throw io(e);
  });
  try {
    const st2 = await fh.stat();
    if (!st2.isFile()) throw notRegular(st2);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, maxBytes + 1 - total);
      const buf = new Uint8Array(want);
      const { bytesRead } = await fh.read(buf, 0, want, null).catch((e: unknown) => {
        throw io(e);
      });
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, `more than ${maxBytes}`, maxBytes);
    }
    return concat(chunks, total);
  } finally {
    await fh.close();
  }
};

const fetchCapped = async (url: string | URL, where: string, maxBytes: number): Promise<Uint8Array> => {
  const res = await fetch(url).catch((e: Error) => {
    throw kapriError('Io', `cannot fetch model ${where}: ${e.message}`, { file: where });
  });
  if (!res.ok) throw kapriError('Io', `fetching model ${where} answered HTTP ${res.status}`, { file: where });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(where, declared, maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(where, `more than ${maxBytes}`, maxBytes);
    }
  }
  return concat(chunks, total);
};

/**
 * Reads a model source with at most `maxBytes` bytes. Throws `Io` for what cannot be read (or is
 * not a regular file) and `OutOfBudget` past the cap.
 */
export const readModelSource = async (
  source: ModelSource,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; where?: string }> => {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    if (bytes.length > maxBytes) throw tooLarge('(bytes)', bytes.length, maxBytes);
    return { bytes };
  }
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw kapriError(
      'InvalidArgument',
      `a model source is a path, a URL or bytes, got ${source === null ? 'null' : typeof source}`,
    );
  }
  const where = typeof source === 'string' ? source : source.href;
  if (detectEnvironment() === 'node' && (typeof source === 'string' || source.protocol === 'file:')) {
    const path =
      typeof source === 'string'
        ? source
        : (await importNode<typeof import('node:url')>('node:url')).fileURLToPath(source);
    return { bytes: await readFileCapped(path, maxBytes), where };
  }
  return { bytes: await fetchCapped(source, where, maxBytes), where };
};

/**
 * Out-of-core reading: rows of a `.npy` file in chunks, read through a file handle at their offsets,
 * so that a dataset larger than memory can be iterated batch by batch. Node only.
 *
 * @example
 * for await (const chunk of npyRows('rgb_train.npy', 256)) train(chunk.data, chunk.rows);
 */
import { kapriError } from '../core/errors.js';
import { decodeNpy } from './npy.js';

export interface NpyChunk {
  /** Index of the first row of this chunk. */
  readonly start: number;
  readonly rows: number;
  /** Per-row shape. */
  readonly rowShape: number[];
  readonly data: Float32Array;
}

/** Yields chunks of at most `rowsPerChunk` rows; the header is validated before the first chunk. */
export async function* npyRows(file: string, rowsPerChunk: number): AsyncGenerator<NpyChunk> {
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1) throw kapriError('InvalidArgument', `rowsPerChunk must be a positive integer, got ${rowsPerChunk}`);
  const fs = (await import(/* @vite-ignore */ 'node:fs/promises' as string)) as typeof import('node:fs/promises');
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    throw kapriError('Io', `cannot open ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`, { file });
  }
  try {
    // Read enough for any header (numpy pads headers to 64 bytes; v2/v3 allow up to 4 GiB, rare).
    const probe = new Uint8Array(65536);
    const { bytesRead } = await fh.read(probe, 0, probe.length, 0);
    const head = probe.subarray(0, bytesRead);
    const major = head[6];
    const hlen = major === 1 ? head[8]! | (head[9]! << 8) : new DataView(head.buffer).getUint32(8, true);
    const dataStart = (major === 1 ? 10 : 12) + hlen;
    if (dataStart > bytesRead) throw kapriError('CorruptFile', `${file}: the header is larger than 64 KiB or truncated`, { file });
    // Decode the header (with an empty body) by asking for zero rows' worth of data.
    const meta = decodeNpy(head.slice(0, dataStart), file, { headerOnly: true });
    const rowShape = meta.shape.slice(1);
    const rowSize = rowShape.reduce((a, b) => a * b, 1);
    const itemSize = meta.itemSize;
    const total = meta.shape[0] ?? 0;
    const { size } = await fh.stat();
    if (size < dataStart + total * rowSize * itemSize) throw kapriError('CorruptFile', `${file}: truncated data (${total} rows of ${rowSize} values need ${total * rowSize * itemSize} bytes)`, { file });
    for (let start = 0; start < total; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, total - start);
      const buf = new Uint8Array(rows * rowSize * itemSize);
      await fh.read(buf, 0, buf.length, dataStart + start * rowSize * itemSize);
      const body = new Uint8Array(dataStart + buf.length);
      body.set(head.subarray(0, dataStart));
      body.set(buf, dataStart);
      const decoded = decodeNpy(body, file, { rows });
      yield { start, rows, rowShape, data: Float32Array.from(decoded.data) };
    }
  } finally {
    await fh.close();
  }
}

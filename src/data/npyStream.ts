/**
 * Out-of-core reading: rows of a `.npy` file in chunks, read through a file handle at their offsets,
 * so that a dataset larger than memory can be iterated batch by batch. Node only.
 *
 * @example
 * for await (const chunk of npyRows('rgb_train.npy', 256)) train(chunk.data, chunk.rows);
 */
import { kapriError } from '../core/errors.js';
import { readNpy, readNpyHeader } from './npy.js';

export interface NpyChunk {
  /** Index of the first row of this chunk. */
  readonly start: number;
  readonly rows: number;
  /** Per-row shape. */
  readonly rowShape: number[];
  readonly data: Float32Array;
}

type FileHandle = import('node:fs/promises').FileHandle;

/** Reads `length` bytes at `position`, looping over short reads; fewer only at the end of the file. */
const readAt = async (fh: FileHandle, length: number, position: number): Promise<Uint8Array> => {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
};

/**
 * Yields chunks of at most `rowsPerChunk` rows; the header is validated before the first chunk. A file
 * that is not a regular file, or that shrinks while it is read, is refused with a `CorruptFile` or `Io` error.
 */
export async function* npyRows(file: string, rowsPerChunk: number): AsyncGenerator<NpyChunk> {
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1)
    throw kapriError('InvalidArgument', `rowsPerChunk must be a positive integer, got ${rowsPerChunk}`);
  const fs = (await import(/* @vite-ignore */ 'node:fs/promises' as string)) as typeof import('node:fs/promises');
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the regular-file check below refuses it.
    fh = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw kapriError('Io', `cannot open ${file}: ${(e as { code?: string }).code ?? (e as Error).message}`, { file });
  }
  try {
    if (!(await fh.stat()).isFile()) throw kapriError('Io', `${file} is not a regular file`, { file });
    const lead = await readAt(fh, 12, 0);
    const major = lead[6];
    const hlen =
      lead.length < 12 ? 0 : major === 1 ? lead[8]! | (lead[9]! << 8) : new DataView(lead.buffer).getUint32(8, true);
    // readNpyHeader refuses a header beyond numpy's limit before its length is trusted for a read
    const head = await readAt(fh, Math.min((major === 1 ? 10 : 12) + hlen, 12 + 40_000 + 1), 0);
    const meta = readNpyHeader(head, file);
    const rowShape = meta.shape.slice(1);
    const rowBytes = rowShape.reduce((a, b) => a * b, 1) * meta.itemSize;
    const total = meta.shape.length === 0 ? 1 : meta.shape[0]!;
    const { size } = await fh.stat();
    if (size < meta.dataStart + total * rowBytes)
      throw kapriError(
        'CorruptFile',
        `${file}: truncated data (${total} rows of ${rowBytes} bytes need ${total * rowBytes} bytes)`,
        { file },
      );
    const header = head.subarray(0, meta.dataStart);
    for (let start = 0; start < total; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, total - start);
      const buf = await readAt(fh, rows * rowBytes, meta.dataStart + start * rowBytes);
      if (buf.length < rows * rowBytes) {
        throw kapriError(
          'CorruptFile',
          `${file}: the file ended at row ${start + Math.floor(buf.length / rowBytes)} of ${total} while it was read (it shrank after the size check)`,
          { file },
        );
      }
      const body = new Uint8Array(header.length + buf.length);
      body.set(header);
      body.set(buf, header.length);
      const decoded = meta.shape.length === 0 ? readNpy(body, file) : readNpy(body, file, { rows });
      yield { start, rows, rowShape, data: Float32Array.from(decoded.data) };
    }
  } finally {
    await fh.close();
  }
}

"""numpy's verdict on the .npy fuzz cases (dev time only; the tests read the committed result).

Regenerate after changing test/data/npyFuzzCases.ts:
  node --import tsx -e "import('./test/data/npyFuzzCases.ts').then(({npyFuzzCase}) => { const fs = require('fs'); \
    const parts = []; for (let i = 0; i < 10000; i++) { const b = npyFuzzCase(14, i); const l = Buffer.alloc(4); \
    l.writeUInt32LE(b.length); parts.push(l, Buffer.from(b)); } fs.writeFileSync('/tmp/npy-cases.bin', Buffer.concat(parts)); })"
  python3 test/data/npyOracle.py /tmp/npy-cases.bin test/fixtures/npyNumpyOracle.txt.gz

One line per case: 'R' when np.lib.format.read_array refuses it, else 'S <shape> <crc32>' with the
CRC-32 of the values as little-endian float64 in C order (NaN made canonical); the first line is the
CRC-32 of all case bytes, so a stale file is detected.
"""
import gzip, io, struct, sys, warnings, zlib
import numpy as np

warnings.simplefilter('ignore')
raw = open(sys.argv[1], 'rb').read()
lines, pos, whole = [], 0, 0
while pos < len(raw):
    (n,) = struct.unpack_from('<I', raw, pos)
    case = raw[pos + 4:pos + 4 + n]
    pos += 4 + n
    whole = zlib.crc32(case, whole)
    try:
        a = np.lib.format.read_array(io.BytesIO(case), allow_pickle=False)
        v = np.ascontiguousarray(a).astype('<f8').ravel()
        v[np.isnan(v)] = np.nan
        lines.append('S %s %08x' % (','.join(str(d) for d in a.shape), zlib.crc32(v.tobytes())))
    except Exception:
        lines.append('R')
with gzip.GzipFile(sys.argv[2], 'wb', mtime=0) as f:
    f.write(('%08x %d\n' % (whole, len(lines)) + '\n'.join(lines) + '\n').encode())
print(len(lines), 'cases;', sum(l != 'R' for l in lines), 'read by numpy')

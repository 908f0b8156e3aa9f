/**
 * A split given as a CSV of image files (a folder of PNG or JPEG images and a table of pairings and
 * labels), parsed by csv-parse (RFC 4180: quoted fields, embedded commas and newlines):
 *
 *   weak,superior,label          (classification: one integer class per row)
 *   rgb/0001.png,depth/0001.png,2
 *
 *   weak,label_0,label_1         (regression: one column per label value, label_0 … label_{k−1})
 *   rgb/0001.jpg,0.5,-1.25
 *
 * `weak` is required; `superior` names the paired image of the superior modality (source splits);
 * a `label` column or `label_0 …` columns give the labels (absent: an unlabelled split). Image names
 * are relative to the manifest, as `.npy` names are. Every problem names the CSV, the line and the column.
 */
import { parse } from 'csv-parse/sync';
import { kapriError } from '../core/errors.js';

/** One row of a split: its image files and label values. */
export interface CsvRow {
  readonly weak: string;
  readonly superior?: string;
  readonly label?: readonly number[];
}

/** The rows of a CSV split and how many label values each carries (0: unlabelled). */
export interface CsvSplit {
  readonly rows: readonly CsvRow[];
  readonly labelSize: number;
  readonly hasSuperior: boolean;
}

const KNOWN = /^(weak|superior|label|label_(0|[1-9][0-9]*))$/;

/** The label columns of a header, in order, or what is wrong with them. */
const labelColumns = (header: readonly string[], file: string): string[] => {
  const indexed = header.filter((h) => h.startsWith('label_'));
  if (header.includes('label') && indexed.length > 0)
    throw kapriError('InvalidConfig', `${file}: give either a 'label' column or 'label_0', 'label_1', …, not both`, {
      file,
    });
  if (header.includes('label')) return ['label'];
  const want = indexed.map((_, i) => `label_${i}`);
  const missing = want.find((w) => !indexed.includes(w));
  if (missing)
    throw kapriError(
      'InvalidConfig',
      `${file}: the label columns must be label_0 … label_${indexed.length - 1} without gaps; ${missing} is missing`,
      { file },
    );
  return want;
};

/**
 * Parses a CSV split's text. Throws a KapriError naming the file (and the line and column) for a
 * malformed table, an unknown or repeated column, a row without its weak image, or a label that is not
 * a finite number.
 *
 * @example
 * const s = parseCsvSplit('weak,label\nimg/a.png,1\n', 'train.csv');
 * s.rows[0]; // { weak: 'img/a.png', label: [1] }
 */
export const parseCsvSplit = (text: string, file: string): CsvSplit => {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (e) {
    throw kapriError('CorruptFile', `${file}: not a CSV table (${(e as Error).message})`, { file });
  }
  const header = records[0];
  if (!header || records.length < 2)
    throw kapriError('InvalidData', `${file}: needs a header line and at least one row`, { file });
  const unknown = header.find((h) => !KNOWN.test(h));
  if (unknown !== undefined)
    throw kapriError(
      'InvalidConfig',
      `${file}: unknown column '${unknown}'; the columns are weak, superior, and label or label_0, label_1, …`,
      { file },
    );
  const repeated = header.find((h, i) => header.indexOf(h) !== i);
  if (repeated !== undefined)
    throw kapriError('InvalidConfig', `${file}: the column '${repeated}' is given twice`, { file });
  if (!header.includes('weak'))
    throw kapriError('InvalidConfig', `${file}: needs a 'weak' column of image files`, { file });
  const labels = labelColumns(header, file);
  const col = (name: string) => header.indexOf(name);
  const rows = records.slice(1).map((r, i): CsvRow => {
    const line = i + 2;
    const weak = r[col('weak')]!;
    if (weak === '') throw kapriError('InvalidData', `${file}: line ${line} has no weak image`, { file, index: i });
    const superior = header.includes('superior') ? r[col('superior')]! : undefined;
    if (superior === '')
      throw kapriError('InvalidData', `${file}: line ${line} has no superior image`, { file, index: i });
    const label = labels.map((name) => {
      const text = r[col(name)]!;
      const v = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(v))
        throw kapriError('InvalidData', `${file}: line ${line}, column ${name}: '${text}' is not a finite number`, {
          file,
          index: i,
        });
      return v;
    });
    return { weak, ...(superior !== undefined ? { superior } : {}), ...(labels.length ? { label } : {}) };
  });
  return { rows, labelSize: labels.length, hasSuperior: header.includes('superior') };
};

/**
 * A chart as the page holds it: the inline SVG (no script needed to see it) in a <figure> with a
 * caption, and the valid range of each numeric axis in data attributes, so that a browser test can
 * check every tick label against the range of the quantity it measures.
 */
import { esc } from './escapeHtml.js';
import type { ValidRange } from './valueRange.js';

export interface AxisRanges {
  readonly x?: ValidRange;
  readonly y?: ValidRange;
}

const attr = (name: string, r: ValidRange | undefined): string =>
  r ? ` data-valid-${name}="${esc(JSON.stringify(r))}"` : '';

/** The figure markup: `id` names it for links and tests. */
export const figure = (id: string, svg: string, caption: string, axes: AxisRanges): string =>
  `<figure class="chart" id="${esc(id)}"${attr('x', axes.x)}${attr('y', axes.y)}>${svg}<figcaption>${caption}</figcaption></figure>`;

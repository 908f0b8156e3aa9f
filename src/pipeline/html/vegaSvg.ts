/**
 * A Vega-Lite specification rendered to a static SVG string in Node: compiled by vega-lite, run by a
 * headless vega View with no renderer. Nothing is fetched (the loader refuses every URL: specs carry
 * their data inline) and text is measured by vega's width estimate, never by a canvas, so that the
 * same report renders byte for byte whether or not node-canvas happens to be installed.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

// vega exports textMetrics at run time but its typings omit it.
(vega as unknown as { textMetrics: { canvas: (use: boolean) => void } }).textMetrics.canvas(false);

/** A loader for specs whose data is inline: any load or sanitize request is a bug, never a download. */
const noNetwork: vega.Loader = {
  ...vega.loader(),
  load: () => Promise.reject(new Error('the report renders inline data only; nothing is loaded')),
  sanitize: () => Promise.reject(new Error('the report renders inline data only; nothing is loaded')),
  http: () => Promise.reject(new Error('the report renders inline data only; nothing is fetched')),
  file: () => Promise.reject(new Error('the report renders inline data only; nothing is read')),
};

/** Shared look: small sans-serif text, legends and titles outside the data rectangle. */
const CONFIG: TopLevelSpec['config'] = {
  font: 'sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelOverlap: true },
  // Flush end labels stay inside the plot on numeric axes; on a band axis they would leave their row.
  axisQuantitative: { labelFlush: true, tickCount: 6 },
  legend: { orient: 'right', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', offset: 8 },
};

/** The SVG markup of a Vega-Lite spec (its `config` merged over the shared one). */
export const vegaLiteSvg = async (spec: TopLevelSpec): Promise<string> => {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: noNetwork });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/**
 * vega numbers clip paths from a process-wide counter (clip1, clip2, …), unique across the SVGs of
 * a page but different from one render to the next. Renumbered in document order, the page is the
 * same bytes for the same report, and the ids stay unique within it.
 */
export const renumberClipIds = (html: string): string => {
  const ids = new Map<string, number>();
  return html.replace(/(id="|url\(#)clip(\d+)/g, (_, lead: string, n: string) => {
    if (!ids.has(n)) ids.set(n, ids.size + 1);
    return `${lead}clip${ids.get(n)}`;
  });
};

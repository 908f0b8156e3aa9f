/**
 * One colour per name across every chart of the report (a method is the same colour in the curves
 * as in the tables' swatches), from the Tableau 10 scheme that Vega-Lite uses by default.
 */
const TABLEAU10 = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** The Vega-Lite colour scale that gives `names[i]` the i-th colour (cycling past ten). */
export const colorScale = (names: readonly string[]): { domain: string[]; range: string[] } => ({
  domain: [...names],
  range: names.map((_, i) => TABLEAU10[i % TABLEAU10.length]!),
});

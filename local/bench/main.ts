/**
 * `npm run bench`: issue 11's figures in one table, each beside issue 11's figure for it and its
 * target. A script, not a test: its numbers depend on the machine. `--only <section>` runs one;
 * `--write` also writes local/bench/RESULTS.md for the README's Performance section.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { apiCallRows } from './api-calls.js';
import { bundleRows } from './bundles.js';
import { detectionRows } from './detection.js';
import { FOOTNOTES } from './footnotes.js';
import { machineLine } from './machine.js';
import { portfolioRows } from './portfolio.js';
import { startupRows } from './startup.js';
import { renderTable, type Row } from './table.js';
import { transitionRows } from './transitions.js';

const SECTIONS: Record<string, () => Promise<Row[]>> = {
  calls: apiCallRows,
  transitions: transitionRows,
  detection: detectionRows,
  portfolio: () => portfolioRows(),
  startup: startupRows,
  bundles: bundleRows,
};

const { values } = parseArgs({ options: { only: { type: 'string' }, write: { type: 'boolean' } } });
const names = values.only ? [values.only] : Object.keys(SECTIONS);
const unknown = names.filter((name) => !SECTIONS[name]);
if (unknown.length > 0) {
  console.error(`bench: --only: expected one of ${Object.keys(SECTIONS).join(', ')}, got ${unknown.join(', ')}`);
  process.exit(2);
}
const started = performance.now();
const rows: Row[] = [];
for (const name of names) {
  console.error(`bench: ${name}…`);
  rows.push(...(await SECTIONS[name]!()));
}
const report = [
  renderTable(rows),
  '',
  ...FOOTNOTES.filter((note) => note.sections.some((section) => names.includes(section))).map((note, index) => `${index + 1}. ${note.text}`),
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}; the bench took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
].join('\n');
console.log(report);
if (values.write) writeFileSync(new URL('RESULTS.md', import.meta.url), `${report}\n`);

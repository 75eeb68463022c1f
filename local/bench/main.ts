/**
 * `npm run bench`: issue 11's figures in one table, each beside what it was and its target. A script,
 * not a test: its numbers depend on the machine. `--only <section>` runs one; `--write` also writes
 * local/bench/RESULTS.md for the README's Performance section.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { apiCallRows } from './api-calls.js';
import { bundleRows } from './bundles.js';
import { detectionRows } from './detection.js';
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

const FOOTNOTES = [
  'Detection, transitions, calls and the portfolio run the real definition and steps in the local interpreter against the simulator on a fake clock: each Wait moves the clock by the seconds the definition asks for; the simulator\'s tasks and its 1,000-requests-a-minute limit run on the same clock. "Simulated" is the time the run would take against Mangrove.',
  'Minimum demo calls: one listing to find the ledger by name, one inputs read, one preview, one POST, the polls the schedule makes, and per ledger the preview names one look for existing batches (no idempotency key) and one verify read.',
  'Transitions count the states entered (Map iterations included), what Standard workflows bill at $0.025 per 1,000; Lambda invocations are the Task states but the SNS publish.',
  'npm start: the split is loader (node + tsx), CLI imports (--help minus loader), then definition cache read, dynalite and simulator start (the rest), and the run itself (its own "Succeeded in" figure). The cookbook script (local/bench/cookbook-baseline.ts) starts the same simulator with the same demo timing and polls at the demo\'s 700 ms; the two alternate.',
  'Cold import: a fresh node importing the bundle, minus an empty module, median of 5. The SDK clients load on a step\'s first use, not at import.',
];

const { values } = parseArgs({ options: { only: { type: 'string' }, write: { type: 'boolean' } } });
const names = values.only ? [values.only] : Object.keys(SECTIONS);
const rows: Row[] = [];
for (const name of names) {
  const section = SECTIONS[name];
  if (!section) {
    console.error(`--only: expected one of ${Object.keys(SECTIONS).join(', ')}, got ${name}`);
    process.exit(2);
  }
  console.error(`bench: ${name}…`);
  rows.push(...(await section()));
}
const report = [`Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}.`, '', renderTable(rows), '', ...FOOTNOTES.map((note, index) => `${index + 1}. ${note}`)].join('\n');
console.log(report);
if (values.write) writeFileSync(new URL('RESULTS.md', import.meta.url), `${report}\n`);

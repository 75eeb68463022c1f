/**
 * `npm start` as an operator runs it (its script, a child process), split into its parts, and beside
 * the literal cookbook script at the same simulator timing and poll interval, alternated in one process.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFINITION_CACHE_DIR } from '../runner/definition-cache.js';
import { measureProcess, median, type ProcessMeasure } from './processes.js';
import type { Row } from './table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = ['bin/batch-autopilot.js', 'run', '--from', '2025-01', '--to', '2025-03'];
const COOKBOOK = ['--import', 'tsx', 'local/bench/cookbook-baseline.ts'];
const RUNS = 5;

export async function startupRows(): Promise<Row[]> {
  rmSync(DEFINITION_CACHE_DIR, { recursive: true, force: true });
  const miss = measureProcess('node', START, ROOT);
  const product: ProcessMeasure[] = [];
  const cookbook: ProcessMeasure[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    product.push(measureProcess('node', START, ROOT));
    cookbook.push(measureProcess('node', COOKBOOK, ROOT));
  }
  const loader = median(Array.from({ length: RUNS }, () => measureProcess('node', ['--import', 'tsx', '-e', ''], ROOT).wallS));
  const help = median(Array.from({ length: RUNS }, () => measureProcess('node', ['bin/batch-autopilot.js', '--help'], ROOT).wallS));
  const runS = median(product.map((measure) => Number(/Succeeded in ([\d.]+) s/.exec(measure.stdout)?.[1] ?? Number.NaN)));
  const wall = median(product.map((measure) => measure.wallS));
  const peak = median(product.map((measure) => measure.peakMiB ?? Number.NaN));
  const cookbookWall = median(cookbook.map((measure) => measure.wallS));
  const cookbookPeak = median(cookbook.map((measure) => measure.peakMiB ?? Number.NaN));
  const ratio = wall / cookbookWall;
  const mib = (value: number | null) => (value === null || Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} MiB`);
  return [
    { figure: `npm start wall / peak (median of ${RUNS}, definition cached)`, measured: `${wall.toFixed(2)} s / ${mib(peak)}`, before: '8.6 s / 522 MiB', target: '≤ 5 s / ≤ 200 MiB', holds: wall <= 5 && peak <= 200 },
    {
      figure: '  split: loader / CLI imports / definition, records, simulator / run',
      measured: `${loader.toFixed(2)} / ${(help - loader).toFixed(2)} / ${(wall - help - runS).toFixed(2)} / ${runS.toFixed(2)} s`,
      before: '',
      target: '',
      holds: null,
    },
    { figure: '  definition not cached yet (first run after a change)', measured: `${miss.wallS.toFixed(2)} s / ${mib(miss.peakMiB)}`, before: '', target: '', holds: null },
    { figure: 'vs the literal cookbook script, same timing and interval', measured: `${ratio.toFixed(2)}× (script ${cookbookWall.toFixed(2)} s / ${mib(cookbookPeak)})`, before: '1.80×', target: '≤ 1.2×', holds: ratio <= 1.2 },
  ];
}

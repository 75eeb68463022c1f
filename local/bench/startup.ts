/**
 * `npm start` as an operator runs it (its command, a child process), split into its pieces, and
 * beside the literal cookbook script against the same simulator, demo timing and window, the two
 * alternated so a slow moment of the machine falls on both.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFINITION_CACHE_DIR } from '../runner/definition-cache.js';
import { DEMO_WAIT_MS } from '../simulator/index.js';
import { measureNode, median, type ProcessMeasure } from './processes.js';
import type { Row } from './table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM_START = ['bin/batch-autopilot.js', 'run', '--from', '2025-01', '--to', '2025-03'];
const PIECES = ['--import', 'tsx/esm', 'local/bench/start-pieces.ts'];
const COOKBOOK = ['--import', 'tsx/esm', 'local/bench/cookbook-baseline.ts'];
const RUNS = 5;

interface Split {
  loaderS: number;
  importsS: number;
  definitionS: number;
  runS: number;
}

const splitOf = (measure: ProcessMeasure): Split => JSON.parse(measure.stdout.trim().split('\n').at(-1) ?? '{}') as Split;
const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const mib = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} MiB`);

export async function startupRows(): Promise<Row[]> {
  rmSync(DEFINITION_CACHE_DIR, { recursive: true, force: true });
  const miss = measureNode(NPM_START, ROOT);
  rmSync(DEFINITION_CACHE_DIR, { recursive: true, force: true });
  const missSplit = splitOf(measureNode(PIECES, ROOT));
  measureNode(NPM_START, ROOT); // warm-up: the cache is filled and the files are in the page cache

  const start: ProcessMeasure[] = [];
  const cookbookDemo: ProcessMeasure[] = [];
  const pieces: Split[] = [];
  const realWaits: ProcessMeasure[] = [];
  const cookbook: ProcessMeasure[] = [];
  for (let round = 0; round < RUNS; round += 1) {
    start.push(measureNode(NPM_START, ROOT));
    cookbookDemo.push(measureNode([...COOKBOOK, '--poll-ms', String(DEMO_WAIT_MS)], ROOT));
    pieces.push(splitOf(measureNode(PIECES, ROOT)));
    realWaits.push(measureNode([...PIECES, '--real-waits'], ROOT));
    cookbook.push(measureNode(COOKBOOK, ROOT));
  }
  const wall = (measures: ProcessMeasure[]) => median(measures.map((measure) => measure.wallS));
  const peak = (measures: ProcessMeasure[]) => median(measures.map((measure) => measure.peakMiB));
  const split = (pick: (split: Split) => number) => median(pieces.map(pick));
  const ratio = wall(realWaits) / wall(cookbook);
  const demoRatio = wall(start) / wall(cookbookDemo);
  const info = (figure: string, measured: string): Row => ({ figure, measured, before: '', target: '', holds: null });
  return [
    {
      figure: `npm start wall / peak RSS (median of ${RUNS}, definition cached)`,
      measured: `${s(wall(start))} / ${mib(peak(start))}`,
      before: '8.6 s / 522 MiB',
      target: '≤ 5 s / ≤ 200 MiB',
      holds: wall(start) <= 5 && peak(start) <= 200,
    },
    info(
      '  split: loader / CLI imports / definition / run',
      `${s(split((x) => x.loaderS))} / ${s(split((x) => x.importsS))} / ${s(split((x) => x.definitionS))} / ${s(split((x) => x.runS))}`,
    ),
    info('  definition not cached (first run after a change): wall / peak; its definition piece', `${s(miss.wallS)} / ${mib(miss.peakMiB)}; ${s(missSplit.definitionS)}`),
    {
      figure: 'product ÷ literal cookbook script, both polling first at 5 s',
      measured: `${ratio.toFixed(2)}× (${s(wall(realWaits))} / ${mib(peak(realWaits))} vs ${s(wall(cookbook))} / ${mib(peak(cookbook))})`,
      before: '1.80×',
      target: '≤ 1.2×',
      holds: ratio <= 1.2,
    },
    info(`  npm start ÷ cookbook script polling every ${DEMO_WAIT_MS} ms (the demo's wait)`, `${demoRatio.toFixed(2)}× (${s(wall(start))} vs ${s(wall(cookbookDemo))} / ${mib(peak(cookbookDemo))})`),
  ];
}

/**
 * Each step Lambda's bundle built as lib/step-lambda.ts has CDK build it, its size, and how long a
 * fresh Node takes to import it beyond an empty module: the cold-start share our code controls.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { STEPS, stepFolder } from '../../functions/steps.js';
import { median } from './processes.js';
import type { Row } from './table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 5;
// Timed inside the child, so node's own start-up (the same for every bundle) stays out of the figure.
const TIMED_IMPORT = `const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));`;

/** One fresh node importing `file` as the Lambda runtime would (NODE_OPTIONS=--enable-source-maps). */
function importMs(file: string): number {
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', TIMED_IMPORT, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr.slice(-500)}`);
  return Number(result.stdout);
}

export async function bundleRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const built: Array<{ folder: string; file: string; bytes: number; mapBytes: number }> = [];
    for (const { definition } of STEPS) {
      const folder = stepFolder(definition.name);
      const file = join(dir, folder, 'index.mjs');
      await build({
        entryPoints: [join(ROOT, 'functions', folder, 'handler.ts')],
        outfile: file,
        bundle: true,
        minify: true,
        sourcemap: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        mainFields: ['module', 'main'],
        external: ['@aws-sdk/*'],
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
        logLevel: 'silent',
      });
      built.push({ folder, file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size });
    }
    // Rounds interleave the bundles with the empty module, so a slow moment falls on all of them.
    const times = new Map<string, number[]>([[empty, []], ...built.map(({ file }) => [file, []] as [string, number[]])]);
    for (let round = 0; round < RUNS; round += 1) for (const [file, list] of times) list.push(importMs(file));
    const baseline = median(times.get(empty) ?? []);
    const measured = built.map((entry) => ({ ...entry, plusMs: median(times.get(entry.file) ?? []) - baseline }));
    const largest = measured.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const slowest = measured.reduce((a, b) => (b.plusMs > a.plusMs ? b : a));
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
    return [
      {
        figure: 'largest bundle / slowest cold import (over an empty module)',
        measured: `${kb(largest.bytes)} (${largest.folder}) / +${slowest.plusMs.toFixed(0)} ms (${slowest.folder})`,
        before: '117 KB / +118 ms',
        target: '≤ 120 KB / ≤ +60 ms',
        holds: largest.bytes <= 120_000 && slowest.plusMs <= 60,
      },
      {
        figure: '  per Lambda: bundle (+ source map) / cold import',
        measured: measured.map((entry) => `${entry.folder} ${kb(entry.bytes)} (+${kb(entry.mapBytes)}) +${entry.plusMs.toFixed(0)} ms`).join(', '),
        before: '',
        target: '',
        holds: null,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

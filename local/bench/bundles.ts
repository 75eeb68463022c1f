/**
 * Each step Lambda's bundle built as lib/step-lambda.ts builds it, its size, and the time a fresh
 * Node takes to import it beyond an empty module (the cold-start share our code controls).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { STEPS, stepFolder } from '../../functions/steps.js';
import { measureProcess, median } from './processes.js';
import type { Row } from './table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 5;

export async function bundleRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    writeFileSync(join(dir, 'empty.mjs'), '');
    const importMs = (file: string) => median(Array.from({ length: RUNS }, () => measureProcess('node', [file], dir).wallS * 1000));
    const baseline = importMs(join(dir, 'empty.mjs'));
    const measured: Array<{ folder: string; bytes: number; plusMs: number }> = [];
    for (const { definition } of STEPS) {
      const folder = stepFolder(definition.name);
      const result = await build({
        entryPoints: [join(ROOT, 'functions', folder, 'handler.ts')],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        mainFields: ['module', 'main'],
        external: ['@aws-sdk/*'],
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
        write: false,
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]?.text ?? '';
      const file = join(dir, `${folder}.mjs`);
      writeFileSync(file, code);
      measured.push({ folder, bytes: Buffer.byteLength(code), plusMs: importMs(file) - baseline });
    }
    const largest = measured.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const slowest = measured.reduce((a, b) => (b.plusMs > a.plusMs ? b : a));
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    return [
      {
        figure: 'largest bundle / slowest cold import',
        measured: `${kb(largest.bytes)} (${largest.folder}) / +${slowest.plusMs.toFixed(0)} ms (${slowest.folder})`,
        before: '117 KB / +118 ms',
        target: '≤ 120 KB / ≤ +60 ms',
        holds: largest.bytes <= 120 * 1024 && slowest.plusMs <= 60,
      },
      { figure: '  per Lambda', measured: measured.map((entry) => `${entry.folder} ${kb(entry.bytes)} +${entry.plusMs.toFixed(0)} ms`).join(', '), before: '', target: '', holds: null },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

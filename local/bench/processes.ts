/** Wall time and peak memory of a node child process, and medians. */
import { spawnSync } from 'node:child_process';

// Preloaded into the child: its own peak RSS on exit, however it ends, without needing GNU time.
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nbench-peak-kib='+process.resourceUsage().maxRSS+'\\n'))`;

export interface ProcessMeasure {
  wallS: number;
  peakMiB: number;
  stdout: string;
}

/** Runs `node <args>` in `cwd`; throws on a non-zero exit (a broken run must not become a figure). */
export function measureNode(args: string[], cwd: string): ProcessMeasure {
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', REPORT_RSS, ...args], { cwd, env, encoding: 'utf8' });
  const wallS = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-800)}`);
  const peak = /bench-peak-kib=(\d+)/.exec(result.stderr)?.[1];
  return { wallS, peakMiB: peak ? Number(peak) / 1024 : Number.NaN, stdout: result.stdout };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Wall time and peak memory of a child process: GNU time's report when it is installed, else wall only. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';

export interface ProcessMeasure {
  wallS: number;
  peakMiB: number | null;
  stdout: string;
}

export function measureProcess(command: string, args: string[], cwd: string): ProcessMeasure {
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const result = timed
    ? spawnSync(GNU_TIME, ['-f', 'peak-kib=%M', command, ...args], { cwd, env, encoding: 'utf8' })
    : spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  const wallS = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-500)}`);
  const peak = /peak-kib=(\d+)/.exec(result.stderr)?.[1];
  return { wallS, peakMiB: peak ? Number(peak) / 1024 : null, stdout: result.stdout };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

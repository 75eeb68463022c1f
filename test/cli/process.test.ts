/**
 * The CLI as people start it: real processes, real pipes. Slow (each spawn starts TypeScript and,
 * for `run`, synthesizes the stack), so only what cannot be seen in-process is tested here.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DRY_RUN = ['run', '--month', '2025-02', '--dry-run'];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Our own environment minus anything that would colour, silence or redirect the child. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'MANGROVE_API_TOKEN', 'MANGROVE_API_URL', 'npm_config_loglevel']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs `command`; `onStdout`/`onStderr` may close the pipe early, as `| head` does. */
function start(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; closeStdoutAfterFirstLine?: boolean; closeStderrAfterFirstLine?: boolean } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.closeStdoutAfterFirstLine && stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.closeStderrAfterFirstLine && stderr.includes('\n')) child.stderr.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the batch-autopilot command', () => {
  it('npx batch-autopilot runs the bin (node cannot run a .ts bin; the shim registers tsx)', async () => {
    const { code, stdout, stderr } = await start('npx', ['--no-install', 'batch-autopilot', '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: batch-autopilot \[options\] \[command\]/);
  }, 30_000);

  it.each([
    ['npx batch-autopilot', 'npx', ['--no-install', 'batch-autopilot', ...DRY_RUN, '--json']],
    ['npm run -s cli --', 'npm', ['run', '-s', 'cli', '--', ...DRY_RUN, '--json']],
  ])('%s … --json: stdout is one JSON document, nothing else', async (_, command, args) => {
    const { code, stdout, stderr } = await start(command, args);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', window: { label: '2025-02' }, ledgers: expect.arrayContaining([expect.objectContaining({ name: 'Net Carbon Removal', outcome: 'dry-run' })]) });
    // Progress and the summary went to stderr, uncoloured: not a terminal.
    expect(stderr).toContain('✓ PreviewGeneration');
    expect(stderr).not.toContain('\x1b[');
  }, 60_000);

  it('a reader that stops early (| head -1) ends the output quietly; exit code of the run', async () => {
    const { code, stdout, stderr } = await start('node', ['bin/batch-autopilot.js', ...DRY_RUN], { closeStdoutAfterFirstLine: true });
    expect(stdout).toMatch(/^Batch Autopilot: local run/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it('a closed stderr does not crash the run either', async () => {
    const { code, stdout } = await start('node', ['bin/batch-autopilot.js', ...DRY_RUN, '--json'], { closeStderrAfterFirstLine: true });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded' });
  }, 60_000);

  it('bad usage: one line on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await start('node', ['bin/batch-autopilot.js', 'run', '--month', '2025-13']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('batch-autopilot: --month: expected a month as YYYY-MM, e.g. 2025-03, got 2025-13; see batch-autopilot run --help\n');
  }, 30_000);

  it('an AWS command prints one line, without the SDK’s Node-version warning', async () => {
    const { code, stderr } = await start('node', ['bin/batch-autopilot.js', 'history', '--state-machine-arn', 'arn:aws:states:eu-west-1:123456789012:stateMachine:X'], {
      // Nothing listens on port 9 of loopback: the SDK client is built, then refused at once.
      env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
    });
    expect(code).toBe(2);
    expect(stderr).toBe('batch-autopilot: cannot reach AWS Step Functions in eu-west-1 (ECONNREFUSED): check the network, a proxy, or the region in the ARN\n');
  }, 30_000);
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from '../../cli/main.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in-process, with a fresh embedded simulator per call (the default backend). */
async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    interactive: false,
  });
  return { code, stdout, stderr };
}

const FEBRUARY = ['run', '--ledger', 'Net Carbon Removal', '--month', '2025-02', '--auto-discover-data-points'];

describe('batch-autopilot run (embedded simulator)', () => {
  it('generates a month, shows each step and prints the batch table; exit 0', async () => {
    const { code, stdout } = await runCli(FEBRUARY);
    expect(code).toBe(0);
    expect(stdout).toContain('embedded Mangrove simulator');
    for (const step of ['ResolveRun', 'FindLedger', 'CheckRequiredInputs', 'PreviewGeneration', 'StartGeneration', 'VerifyBatches']) {
      expect(stdout).toContain(`✓ ${step}:`);
    }
    expect(stdout).toMatch(/generation running \d+%: Processing batch \d of 2/);
    expect(stdout).toMatch(/Feb-2025-001\s+2025-02-01 to 2025-02-28\s+46\.983\s+t/);
    expect(stdout).toMatch(/Succeeded in [\d.]+ s: 2 batch\(es\) generated for 2025-02\./);
  });

  it('--json prints one summary on stdout and progress on stderr', async () => {
    const { code, stdout, stderr } = await runCli([...FEBRUARY, '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      status: 'succeeded',
      window: { startTime: '2025-02-01T00:00:00.000Z', endTime: '2025-02-28T23:59:59.000Z', label: '2025-02' },
    });
    const ledgers = summary.ledgers as Array<Record<string, unknown>>;
    expect(ledgers.map((ledger) => [ledger.name, ledger.previewCount, ledger.outcome])).toEqual([
      ['Net Carbon Removal', 1, 'generated'],
      ['Biochar Produced', 1, 'generated'],
    ]);
    expect(ledgers[0]).toMatchObject({
      id: 'lgr_netremoval01',
      taskId: expect.any(Number),
      batches: [{ id: expect.stringMatching(/^bat_/), trackingId: 'Feb-2025-001', startTime: '2025-02-01T00:00:00.000Z', endTime: '2025-02-28T23:59:59.000Z', value: 46.983, unit: 't' }],
    });
    expect(stderr).toContain('✓ VerifyBatches');
  });

  it('--dry-run previews only', async () => {
    const { code, stdout } = await runCli([...FEBRUARY, '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toContain('dry run: previewed only, nothing generated, preview 1');
    expect(stdout).not.toContain('StartGeneration');
  });

  it('a failed run prints the alert and exits 1', async () => {
    const { code, stderr } = await runCli(['run', '--ledger', 'Lab Analyses', '--month', '2025-02']);
    expect(code).toBe(1);
    expect(stderr).toContain('ALERT (would be published to the SNS alert topic)');
    expect(stderr).toContain('Error: LedgerHasNoModelError');
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^batch-autopilot: run failed: LedgerHasNoModelError: /);
  });

  it.each([
    [['run', '--ledger', 'x', '--month', '2025-13'], /--month: expected a month as YYYY-MM/],
    [['run', '--month', '2025-02'], /--ledger: expected at least one ledger/],
    [['run', '--ledger', 'x', '--month', '2099-01'], /--month: expected a window that is over by now/],
    [['run', '--ledger', 'x', '--poll-interval', 'soon'], /--poll-interval: expected a whole number/],
    [['run', '--ledger', 'x', '--colour'], /Unknown option '--colour'/],
    [['launch'], /unknown command "launch"/],
  ])('bad usage %j exits 2 with one line', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('needs a token for a real API URL, and never prints it', async () => {
    const { code, stderr } = await runCli(['run', '--ledger', 'x', '--month', '2025-02', '--api-url', 'https://example.invalid/api/v1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/MANGROVE_API_TOKEN is not set/);
  });

  it('bin/cli.ts sets the process exit code', async () => {
    const run = promisify(execFile);
    const failure = await run('npx', ['tsx', 'bin/cli.ts', 'run', '--ledger', 'x', '--month', '2025-13'], { env: { ...process.env, NO_COLOR: '1' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--month: expected a month as YYYY-MM');
  });
});

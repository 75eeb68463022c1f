import { describe, expect, it } from 'vitest';
import { ESCAPE, instantAws, runCli } from './support.js';

// cdk.json deploys "Net Carbon Removal" with autoDiscoverDataPoints: true; `run` takes the same defaults.
const FEBRUARY = ['run', '--ledger', 'Net Carbon Removal', '--month', '2025-02'];

describe('batch-autopilot run (embedded simulator)', () => {
  it('the command after npm start works as typed: defaults come from cdk.json, as the stack deploys them', async () => {
    const { code, stdout } = await runCli(FEBRUARY);
    expect(code).toBe(0);
    expect(stdout).toContain('embedded Mangrove simulator');
    for (const step of ['ResolveRun', 'GroupLedgers', 'CheckRequiredInputs', 'PreviewGeneration', 'StartGeneration', 'VerifyBatches']) {
      expect(stdout).toContain(`✓ ${step}:`);
    }
    expect(stdout).toContain('data points auto-discovered');
    expect(stdout).toMatch(/generation running \d+%: Processing batch \d of 2/);
    expect(stdout).toMatch(/Feb-2025-001\s+2025-02-01 to 2025-02-28\s+46\.983\s+t/);
    expect(stdout).toMatch(/Succeeded in [\d.]+ s: 2 batch\(es\) generated for 2025-02\./);
  });

  it('no --ledger: the ledgers of cdk.json', async () => {
    const { code, stdout } = await runCli(['run', '--month', '2025-02', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ GroupLedgers: 1 ledger(s) in 1 group(s) by model: "Net Carbon Removal" (lgr_netremoval01)');
    expect(stdout).toContain('dry run: previewed only, nothing generated, preview 1');
    expect(stdout).not.toContain('StartGeneration');
  });

  it('more unknown ledgers than GroupLedgers lists: the summary still counts every one', async () => {
    const unknown = Array.from({ length: 7 }, (_, index) => ['--ledger', `No such ledger ${index}`]).flat();
    // Net Carbon Removal's generation also writes Biochar Produced: 2 entries generated, 7 failed.
    const { code, stdout } = await runCli(['run', '--month', '2025-02', '--ledger', 'Net Carbon Removal', ...unknown]);
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((line) => line.includes('GroupLedgers: LedgerNotFoundError'))).toHaveLength(5);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/: 7 of 9 ledger\(s\) failed \(LedgerNotFoundError\); 2 batch\(es\) generated for 2025-02\.$/);
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
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^Succeeded in/);
  });

  it('a failed run: one ✗ per failed step, advice in flags, one summary; exit 1', async () => {
    const { code, stdout, stderr } = await runCli([...FEBRUARY, '--no-auto-discover-data-points', '--ledger', 'Lab Analyses']);
    expect(code).toBe(1);
    const failedLines = stdout.split('\n').filter((line) => line.startsWith('✗'));
    expect(failedLines).toEqual([
      expect.stringMatching(/^✗ \[Lab Analyses\] GroupLedgers: LedgerHasNoModelError: /),
      expect.stringMatching(/^✗ \[Net Carbon Removal\] CheckRequiredInputs: ManualInputsRequireDataPointsError: .*name the data points with --data-point, or pass --auto-discover-data-points/),
    ]);
    // The Catch leaves the failed state with its own output: no tick after the cross.
    expect(stdout).not.toMatch(/✓ .*CheckRequiredInputs/);
    expect(stdout).not.toMatch(/dataPointIds|autoDiscoverDataPoints/);
    expect(stdout).toContain('  What to do: Name the data points with --data-point, or pass --auto-discover-data-points, and run again.');
    // The cause is told once, on its ✗ line.
    expect(stdout.split('fed by other ledgers')).toHaveLength(2);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'Failed after ' + /Failed after (\S+ s)/.exec(stdout)?.[1] + ': 2 of 2 ledger(s) failed (LedgerHasNoModelError, ManualInputsRequireDataPointsError).',
    );
    expect(stdout.match(/^(Failed|Succeeded)/gm)).toHaveLength(1);
    expect(stderr).toBe('');
  });

  it('--show-alert prints the alert a deployed run would publish', async () => {
    const { code, stderr } = await runCli(['run', '--ledger', 'Lab Analyses', '--month', '2025-02', '--show-alert']);
    expect(code).toBe(1);
    expect(stderr).toContain('ALERT (a deployed run publishes this to the SNS alert topic)');
    expect(stderr).toContain('Error: LedgerHasNoModelError');
  });

  it('needs a token for a real API URL, and never prints it', async () => {
    const { code, stderr } = await runCli(['run', '--month', '2025-02', '--api-url', 'https://example.invalid/api/v1']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'batch-autopilot: MANGROVE_API_TOKEN: not set: Mangrove at https://example.invalid/api/v1 needs a token (leave out --api-url to use the embedded simulator); see batch-autopilot run --help\n',
    );
  });

  it('a URL that refuses connections fails after the client’s retries, in one line naming the URL, before the workflow starts', async () => {
    const token = 'tok-4f9e1c2b-never-shown';
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['run', '--month', '2025-02', '--api-url', 'http://127.0.0.1:1/api/v1'], {
      env: { MANGROVE_API_TOKEN: token },
      aws: instantAws,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^batch-autopilot: --api-url: cannot reach Mangrove \(.+\), got http:\/\/127\.0\.0\.1:1\/api\/v1; see batch-autopilot run --help$/)]);
    expect(stderr).not.toContain(token);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('colour', () => {
  it('is used when asked for (a terminal), and never with NO_COLOR or when not asked', async () => {
    const args = ['run', '--month', '2025-02', '--dry-run'];
    const coloured = await runCli(args, { color: true });
    expect(coloured.stdout).toContain(`${ESCAPE}32m✓`);
    const noColor = await runCli(args, { color: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain(ESCAPE);
    expect(noColor.stdout).toContain('✓ ResolveRun');
    const plain = await runCli(args);
    expect(plain.stdout).not.toContain(ESCAPE);
  });
});

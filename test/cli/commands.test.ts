import { readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilotStateMachine';
const aws = { sfnFor: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, now: () => Date.parse('2026-11-23T10:00:00Z') };

beforeEach(() => {
  sfn.reset();
});

describe('help and version', () => {
  it('--version prints package.json’s version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it('help run and run --help both print run’s own help', async () => {
    const viaHelp = await runCli(['help', 'run']);
    const viaFlag = await runCli(['run', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: batch-autopilot run \[options\]/);
    expect(viaHelp.stdout).toContain('--auto-discover-data-points');
    expect(viaHelp.stdout).not.toContain('backfill');
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
  });

  it.each(['start', 'backfill', 'submit-report', 'follow', 'history', 'status', 'resolve'])('help %s is that command’s help', async (command) => {
    const { code, stdout } = await runCli(['help', command]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: batch-autopilot ${command} `));
  });

  it('no command: the overview on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: batch-autopilot \[options\] \[command\]/);
  });
});

describe('one error style: batch-autopilot: <flag>: <what was wrong>, got <value>; see … --help; exit 2', () => {
  it.each([
    [['run', '--mnth', '2025-02'], 'batch-autopilot: --mnth: not an option of run (did you mean --month?); see batch-autopilot run --help'],
    [['run', '--bogus'], 'batch-autopilot: --bogus: not an option of run; see batch-autopilot run --help'],
    [['strat'], 'batch-autopilot: strat: not a command (did you mean start?); see batch-autopilot --help'],
    [['run', '--month', '2025-02', '--month', '2025-03'], 'batch-autopilot: --month: given more than once (2025-02 and 2025-03); give it once; see batch-autopilot run --help'],
    [['run', '--month', '2025-13'], 'batch-autopilot: --month: expected a month as YYYY-MM, e.g. 2025-03, got 2025-13; see batch-autopilot run --help'],
    [['run', '--month', '9999-12'], 'batch-autopilot: --month: expected a year from 2000 to 2099, got 9999-12; see batch-autopilot run --help'],
    [['run', '--month'], 'batch-autopilot: --month: expected a value <YYYY-MM> after it, got nothing; see batch-autopilot run --help'],
    [['run', 'now'], 'batch-autopilot: run: expected no arguments, only flags, got 1; see batch-autopilot run --help'],
    [['run', '--poll-interval', 'soon'], 'batch-autopilot: --poll-interval: expected a whole number from 2 to 3600, got soon; see batch-autopilot run --help'],
    [['run', '--api-url', 'http://mangrove.example.com/api/v1'], 'batch-autopilot: --api-url: expected an https URL such as https://app.gomangrove.com/api/v1 (plain http only to 127.0.0.1/localhost), got http://mangrove.example.com/api/v1; see batch-autopilot run --help'],
    [['run', '--auth-scheme', 'basic'], 'batch-autopilot: --auth-scheme: expected bearer or raw, got basic; see batch-autopilot run --help'],
    [['run', '--time-zone', 'Mars/Olympus', '--month', '2025-02'], 'batch-autopilot: --time-zone: expected an IANA time zone, e.g. "Europe/Berlin", got Mars/Olympus; see batch-autopilot run --help'],
    [['run', '--data-point', 'lab-1', '--month', '2025-02'], 'batch-autopilot: --data-point: expected a data point id like "in_abc123", got lab-1; see batch-autopilot run --help'],
    [['start', '--month', '2025-03', '--poll-interval', '5'], 'batch-autopilot: --poll-interval: only means something with --follow; see batch-autopilot start --help'],
    [['follow'], 'batch-autopilot: <execution>: expected an execution ARN or name, got nothing; see batch-autopilot follow --help'],
    [['history', '--limit', '0'], 'batch-autopilot: --limit: expected a whole number from 1 to 100, got 0; see batch-autopilot history --help'],
    [['backfill', '--from', '2025-03', '--to', '2025-01'], 'batch-autopilot: --to: expected a month on or after --from (2025-03), got 2025-01; see batch-autopilot backfill --help'],
  ])('%j', async (args, line) => {
    const { code, stdout, stderr } = await runCli(args, { env: { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }, aws });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('--poll-interval takes the cookbook\u2019s 2–5 s: 1 is refused by its range, never by "fewer ledgers"', async () => {
    const { code, stderr } = await runCli(['run', '--month', '2025-02', '--poll-interval', '1']);
    expect(code).toBe(2);
    expect(stderr).toBe('batch-autopilot: --poll-interval: expected a whole number from 2 to 3600, got 1; see batch-autopilot run --help\n');
    expect(stderr).not.toMatch(/fewer ledgers|pollIntervalSeconds|maxWaitMinutes/);
  });

  it.each([
    ['start', ['start', '--month', '2025-13']],
    ['backfill', ['backfill', '--from', '2025-01', '--to', '2025-13']],
  ])('%s judges its flags before it looks for a state machine', async (command, args) => {
    const { code, stderr } = await runCli(args, { env: {}, aws });
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^batch-autopilot: --(month|to): expected a month as YYYY-MM, e\\.g\\. 2025-03, got 2025-13; see batch-autopilot ${command} --help\\n$`));
  });

  it('a window that is not over is refused before any AWS call', async () => {
    const { code, stderr } = await runCli(['start', '--month', '2026-11'], { env: {}, aws });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^batch-autopilot: --month: expected a window that is over by now \(2026-11-23T10:00:00\.000Z\), but it ends 2026-11-30T23:59:59\.000Z, got 2026-11; see/);
  });
});

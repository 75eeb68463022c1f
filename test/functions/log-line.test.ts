import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupLedgersStep } from '../../functions/group-ledgers/handler.js';
import { resolveRun } from '../../functions/resolve-run/resolve-run-plan.js';
import { logContextOf } from '../../functions/shared/log-line.js';
import { lambdaHandler, type StepRuntime } from '../../functions/shared/step.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import type { Simulator } from '../../local/simulator/index.js';
import { useSimulator } from '../support/simulator.js';
import { TEST_DEFAULTS } from '../support/harness.js';

let sim: Simulator;
useSimulator({}, { onStart: (started) => (sim = started) });

const LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 60_000 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('log lines', () => {
  it('a failing step writes one JSON line with level, step, execution, ledger and month, and never the token', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const runtime: StepRuntime = {
      tokens: new StaticTokenSource('revoked-token-1234567890'),
      client: { baseUrl: sim.url, retry: { maxAttempts: 1 } },
      defaults: () => TEST_DEFAULTS,
    };
    const handler = lambdaHandler(groupLedgersStep, async () => runtime);
    const plan = resolveRun({ month: '2025-03', ledgers: ['Net Carbon Removal'] }, TEST_DEFAULTS, Date.parse('2025-04-02T06:00:00Z'));
    const event = { ledgerRef: 'Net Carbon Removal', executionName: 'scheduled-ncr-2025-04-02', plan };
    await expect(handler(event, LAMBDA_CONTEXT as never)).rejects.toThrow(/401/);
    const lines = written.filter((chunk) => chunk.startsWith('{'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ level: 'error', step: 'GroupLedgers', executionName: 'scheduled-ncr-2025-04-02', ledger: 'Net Carbon Removal', month: '2025-03' });
    expect(line.error).toMatchObject({ name: 'MangroveAuthError', status: 401 });
    expect(lines[0]).not.toContain('revoked-token-1234567890');
  });

  it('finds the ledger and month wherever a step’s input keeps them', () => {
    expect(logContextOf('VerifyBatches', { ledger: { id: 'lgr_a', ref: 'A' }, plan: { window: { label: '2025-01..2025-03' } }, executionName: 'x' })).toEqual({
      step: 'VerifyBatches',
      executionName: 'x',
      ledger: 'lgr_a',
      month: '2025-01..2025-03',
    });
    expect(logContextOf('ResolveRun', { Comment: 'Insert your JSON here' })).toEqual({ step: 'ResolveRun', executionName: null, ledger: null, month: null });
    expect(logContextOf('ResolveRun', null).ledger).toBeNull();
  });
});

import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MangroveClientOptions } from '../../../functions/mangrove/client.js';
import {
  GenerationOutcomeUnknownError,
  MangroveAuthError,
  MangroveError,
  MangroveNotFoundError,
  MangroveResponseError,
  MangroveValidationError,
  RateLimitedError,
  UpstreamUnavailableError,
} from '../../../functions/mangrove/errors.js';
import type { Batch } from '../../../functions/mangrove/schemas.js';
import { USER_AGENT } from '../../../functions/mangrove/version.js';
import { DEMO_LEDGERS, startSimulator, type RouteKey, type Simulator } from '../../../local/simulator/index.js';
import { clientHarness, rejection } from '../../support/mangrove-client.js';
import { useSimulator } from '../../support/simulator.js';

// A distinctive token, so a leak anywhere is unmistakable.
const TOKEN = 'tok_live_SECRET_7f3a9c1e';
const READ_ONLY_TOKEN = 'tok_ro_SECRET_0b1d';
const Q1_2025 = { startTime: '2025-01-01T00:00:00Z', endTime: '2025-03-31T23:59:59Z' };
const NCR = DEMO_LEDGERS.netCarbonRemoval;

let sim: Simulator;
let clock: number;
/** Every error a client raised in this file, checked for the token at the end. */
const raised: unknown[] = [];

useSimulator({
    tokens: { [TOKEN]: 'read-write', [READ_ONLY_TOKEN]: 'read-only' },
    taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 },
    now: () => clock,
  }, {
  onStart: (started) => (sim = started),
  beforeReset: () => (clock = Date.parse('2025-04-02T06:00:00.000Z')),
});

const harness = (overrides: Partial<MangroveClientOptions> = {}) =>
  clientHarness(sim.url, TOKEN, { now: () => clock, advance: (ms) => (clock += ms) }, overrides);

async function expectError<E extends MangroveError>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await rejection(promise, type);
  raised.push(error);
  return error;
}

function calls(route: RouteKey): number {
  return sim.callCounts()[route] ?? 0;
}

async function collect(iterable: AsyncIterable<Batch>): Promise<Batch[]> {
  const items: Batch[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('workflow endpoints against the simulator', () => {
  it('lists every ledger and reads one', async () => {
    const { client } = harness();
    const ledgers = await client.listLedgers();
    expect(ledgers.map((ledger) => ledger.id)).toEqual(
      expect.arrayContaining([DEMO_LEDGERS.netCarbonRemoval, DEMO_LEDGERS.biocharProduced, DEMO_LEDGERS.labAnalyses]),
    );
    const ledger = await client.getLedger(NCR);
    expect(ledger).toMatchObject({ id: NCR, name: 'Net Carbon Removal', unit: 't', cadence: 'monthly' });
    expect(ledger.latest_model?.id).toMatch(/^mdl_/);
    const noModel = await client.getLedger(DEMO_LEDGERS.labAnalyses);
    expect(noModel.latest_model).toBeNull();
  });

  it('reads required inputs, including the manual-select one', async () => {
    const { client } = harness();
    const inputs = await client.getRequiredInputs(NCR);
    expect(inputs.map((input) => input.unit)).toEqual(expect.arrayContaining(['U.S. ton', 'mile']));
    expect(inputs.filter((input) => input.is_manual_select)).toHaveLength(1);
    expect(inputs.every((input) => Number.isInteger(input.id))).toBe(true);
  });

  it('previews one entry per written ledger and creates nothing', async () => {
    const { client } = harness();
    const preview = await client.previewGeneration(NCR, Q1_2025);
    expect(preview).toHaveLength(2);
    expect(preview.map((entry) => entry.count)).toEqual([3, 3]);
    expect(sim.tasks()).toHaveLength(0);
  });

  it('runs a full generation round: preview count == batches created', async () => {
    const { client } = harness();
    const preview = await client.previewGeneration(NCR, Q1_2025);
    const before = await collect(client.listLedgerBatches(NCR));

    const accepted = await client.startBatchGeneration(NCR, Q1_2025);
    expect(accepted.state).toBe('pending');
    const states: string[] = [];
    for (let polls = 0; polls < 20; polls += 1) {
      const task = await client.getAsyncTask(accepted.id);
      states.push(task.state);
      if (task.state === 'complete' || task.state === 'failed') break;
      clock += 500;
    }
    expect(states[0]).toBe('pending');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('complete');

    for (const entry of preview) {
      const after = await collect(client.listLedgerBatches(entry.id, { sort: '-created_at' }));
      const created = entry.id === NCR ? after.length - before.length : after.length;
      expect(created, entry.name).toBe(entry.count);
    }
    const newest = await collect(client.listLedgerBatches(NCR, { sort: '-created_at', pageSize: 3 }));
    expect(newest.slice(0, 3).map((batch) => batch.tracking_id).sort()).toEqual(['Feb-2025-001', 'Jan-2025-001', 'Mar-2025-001']);
  });

  it('pages lazily across more than 10 batches and stops when the caller stops', async () => {
    const { client } = harness();
    const all = await collect(client.listLedgerBatches(NCR, { pageSize: 5, sort: 'start_time' }));
    expect(all.length).toBeGreaterThan(10);
    expect(calls('GET /ledgers/:id/batches')).toBe(Math.ceil(all.length / 5));
    expect(new Set(all.map((batch) => batch.id)).size).toBe(all.length);

    sim.reset();
    const firstFew: Batch[] = [];
    for await (const batch of client.listLedgerBatches(NCR, { pageSize: 5 })) {
      firstFew.push(batch);
      if (firstFew.length === 3) break;
    }
    expect(calls('GET /ledgers/:id/batches')).toBe(1);
  });

  it('sends sort and eq filters', async () => {
    const { client } = harness();
    const sorted = await collect(client.listLedgerBatches(NCR, { sort: '-created_at' }));
    const createdAt = sorted.map((batch) => Date.parse(batch.created_at));
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    const target = sorted[2];
    const filtered = await collect(client.listLedgerBatches(NCR, { filter: { tracking_id: target?.tracking_id ?? '' } }));
    expect(filtered.map((batch) => batch.id)).toEqual([target?.id]);
  });

  it('accepts the raw Authorization scheme and sends a product User-Agent', async () => {
    const seen: Headers[] = [];
    const { client } = harness({
      authScheme: 'raw',
      fetch: async (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    await client.getLedger(NCR);
    expect(seen[0]?.get('authorization')).toBe(TOKEN);
    expect(seen[0]?.get('user-agent')).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^batch-autopilot\/\d+\.\d+\.\d+/);
  });
});

describe('errors are typed and never retried when retrying cannot help', () => {
  it('401 for a wrong token: MangroveAuthError, one request', async () => {
    const { client } = harness({ token: 'tok_wrong_SECRET' });
    const error = await expectError(client.getLedger(NCR), MangroveAuthError);
    expect(error).toMatchObject({ status: 401, method: 'GET', endpoint: 'GET /ledgers/{id}', ledgerId: NCR, retryable: false });
    expect(calls('GET /ledgers/:id')).toBe(1);
  });

  it('403 for a read-only token on generation', async () => {
    const { client } = harness({ token: READ_ONLY_TOKEN });
    const error = await expectError(client.startBatchGeneration(NCR, Q1_2025), MangroveAuthError);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/Production Accounting/);
  });

  it('404 with the generic {message} body', async () => {
    const { client } = harness();
    const error = await expectError(client.getLedger('lgr_doesnotexist'), MangroveNotFoundError);
    expect(error.message).toContain('Record not found.');
    expect(error.ledgerId).toBe('lgr_doesnotexist');
    expect(calls('GET /ledgers/:id')).toBe(1);
  });

  it('422 with the {errors:[…]} body keeps the server messages, one request', async () => {
    const { client } = harness();
    const error = await expectError(
      client.previewGeneration(NCR, { startTime: '2025-03-31T00:00:00Z', endTime: '2025-01-01T00:00:00Z' }),
      MangroveValidationError,
    );
    expect(error.status).toBe(422);
    expect(error.messages.length).toBeGreaterThan(0);
    expect(error.messages.join(' ')).toMatch(/end_time/);
    expect(calls('POST /ledgers/:id/generate_preview')).toBe(1);
  });

  it('404 for an unknown batch in batch_amounts', async () => {
    const { client } = harness();
    await expectError(
      client.startBatchGeneration(NCR, {
        ...Q1_2025,
        batchAmounts: [{ batchId: 'bat_unknown00000', primaryOutputAmount: 1, allocationGroup: 'default' }],
      }),
      MangroveNotFoundError,
    );
    expect(sim.tasks()).toHaveLength(0);
  });

  it('malformed JSON: MangroveResponseError naming the endpoint, not retried', async () => {
    const { client } = harness();
    sim.faults.inject('GET /async_tasks/:id', { kind: 'malformed-json' });
    const error = await expectError(client.getAsyncTask(1), MangroveResponseError);
    expect(error.message).toMatch(/GET \/async_tasks\/\{id\}.*not valid JSON/);
    expect(calls('GET /async_tasks/:id')).toBe(1);
  });

  it('a missing field: MangroveResponseError naming the field', async () => {
    const { client } = harness();
    sim.faults.inject('GET /ledgers/:id', { kind: 'omit-field', field: 'latest_model' });
    const error = await expectError(client.getLedger(NCR), MangroveResponseError);
    expect(error.field).toBe('latest_model');
    expect(error.message).toContain('latest_model');

    sim.faults.inject('GET /ledgers', { kind: 'omit-field', field: 'id' });
    const listError = await expectError(client.listLedgers(), MangroveResponseError);
    expect(listError.field).toBe('data[0].id');
  });
});

describe('retries', () => {
  it('waits for Retry-After on a 429, then succeeds', async () => {
    const { client, sleeps } = harness();
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 429, retryAfterSeconds: 2 });
    await expect(client.getLedger(NCR)).resolves.toMatchObject({ id: NCR });
    expect(sleeps).toEqual([2_000]);
    expect(calls('GET /ledgers/:id')).toBe(2);
  });

  it('waits until RateLimit-Reset when a 429 has no Retry-After', async () => {
    const resets: number[] = [];
    const { client, sleeps } = harness({
      // The window may reset up to 60 s away: more than the default budget allows.
      retry: { maxElapsedMs: 120_000 },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 429) resets.push(Number(response.headers.get('ratelimit-reset')));
        return response;
      },
    });
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 429 });
    const startedAt = clock;
    await client.getLedger(NCR);
    expect(resets).toHaveLength(1);
    expect(sleeps).toEqual([Math.max(0, Math.ceil((resets[0] ?? 0) * 1000 - startedAt))]);
    expect(sleeps[0]).toBeLessThanOrEqual(60_000);
  });

  it('paces to the simulator’s real per-token limit instead of meeting a 429', async () => {
    const limited = await startSimulator({ tokens: { [TOKEN]: 'read-write' }, rateLimitPerMinute: 2, now: () => clock });
    try {
      const { client, sleeps } = harness({ baseUrl: limited.url, retry: { maxElapsedMs: 120_000 } });
      for (let i = 0; i < 3; i += 1) await client.getLedger(NCR);
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThan(0);
      // The window's last request was spent, so the third waited for the reset rather than being refused.
      expect(limited.requests.filter((request) => request.status === 429)).toHaveLength(0);
    } finally {
      await limited.close();
    }
  });

  it('gives up with RateLimitedError when the wait exceeds the time budget', async () => {
    const { client, sleeps } = harness({ retry: { maxElapsedMs: 1_000 } });
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 429, retryAfterSeconds: 30 });
    const error = await expectError(client.getLedger(NCR), RateLimitedError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 30_000 });
    expect(sleeps).toEqual([]);
  });

  it.each([500, 502, 503, 504])('retries a short burst of %i with jittered exponential backoff', async (status) => {
    const { client, sleeps } = harness();
    sim.faults.inject('GET /ledgers/:id/required_inputs', { kind: 'status', status }, 2);
    await expect(client.getRequiredInputs(NCR)).resolves.not.toHaveLength(0);
    // random() = 0.5 → half of 250 ms, then half of 500 ms.
    expect(sleeps).toEqual([125, 250]);
    expect(calls('GET /ledgers/:id/required_inputs')).toBe(3);
  });

  it('stops after the attempt budget with UpstreamUnavailableError', async () => {
    const { client, sleeps } = harness({ retry: { maxAttempts: 3 } });
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 503 }, 10);
    const error = await expectError(client.getLedger(NCR), UpstreamUnavailableError);
    expect(error).toMatchObject({ status: 503, retryable: true, ledgerId: NCR });
    expect(sleeps).toHaveLength(2);
    expect(calls('GET /ledgers/:id')).toBe(3);
  });

  it('times a hung GET out and retries it', async () => {
    const { client } = harness({ timeoutMs: 150 });
    sim.faults.inject('GET /async_tasks/:id', { kind: 'hang' });
    const accepted = await client.startBatchGeneration(NCR, Q1_2025);
    await expect(client.getAsyncTask(accepted.id)).resolves.toMatchObject({ id: accepted.id });
    expect(calls('GET /async_tasks/:id')).toBe(2);
  });

  it('a GET that always hangs ends in UpstreamUnavailableError with no status', async () => {
    const { client } = harness({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    sim.faults.inject('GET /ledgers/:id', { kind: 'hang' }, 2);
    const error = await expectError(client.getLedger(NCR), UpstreamUnavailableError);
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/no response within 100 ms/);
  });

  it('retries a reset connection on a GET', async () => {
    const { client } = harness();
    sim.faults.inject('GET /ledgers', { kind: 'reset' });
    await expect(client.listLedgers()).resolves.not.toHaveLength(0);
    expect(calls('GET /ledgers')).toBe(2);
  });
});

describe('POST batch_generations is never blindly repeated', () => {
  it.each([500, 502, 503])('HTTP %i → GenerationOutcomeUnknownError after one POST', async (status) => {
    const { client, sleeps } = harness();
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status });
    const error = await expectError(client.startBatchGeneration(NCR, Q1_2025), GenerationOutcomeUnknownError);
    expect(error).toMatchObject({ status, retryable: false, ledgerId: NCR });
    expect(calls('POST /ledgers/:id/batch_generations')).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('a timeout after the server took the request → outcome unknown, one task, one POST', async () => {
    const { client } = harness({ timeoutMs: 150 });
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'hang', afterProcessing: true });
    const error = await expectError(client.startBatchGeneration(NCR, Q1_2025), GenerationOutcomeUnknownError);
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/may have been processed/);
    expect(calls('POST /ledgers/:id/batch_generations')).toBe(1);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('a connection reset after sending → outcome unknown, one POST', async () => {
    const { client } = harness();
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'reset', afterProcessing: true });
    await expectError(client.startBatchGeneration(NCR, Q1_2025), GenerationOutcomeUnknownError);
    expect(calls('POST /ledgers/:id/batch_generations')).toBe(1);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('an unreadable 202 → outcome unknown (the task exists, we cannot tell which)', async () => {
    const { client } = harness();
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'malformed-json' });
    const error = await expectError(client.startBatchGeneration(NCR, Q1_2025), GenerationOutcomeUnknownError);
    expect(error.message).toMatch(/accepted, but/);
  });

  it('a 429 is a refusal, so the POST is retried and one task is made', async () => {
    const { client, sleeps } = harness();
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    await expect(client.startBatchGeneration(NCR, Q1_2025)).resolves.toMatchObject({ state: 'pending' });
    expect(sleeps).toEqual([1_000]);
    expect(calls('POST /ledgers/:id/batch_generations')).toBe(2);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('a refused connection never reached the server, so it is retried (and ends Upstream-Unavailable)', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const { client, sleeps } = harness({ baseUrl: `http://127.0.0.1:${closedPort}/api/v1`, retry: { maxAttempts: 2 } });
    const error = await expectError(client.startBatchGeneration(NCR, Q1_2025), UpstreamUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(sleeps).toHaveLength(1);
  });

  it('says why fetch failed when it refuses before connecting (port 1 is a "bad port" to fetch)', async () => {
    const { client } = harness({ baseUrl: 'http://127.0.0.1:1/api/v1', retry: { maxAttempts: 1 } });
    const error = await expectError(client.listLedgers(), UpstreamUnavailableError);
    expect(error.message).toMatch(/fetch failed: bad port/);
  });
});

describe('the token stays secret', () => {
  it('appears in no error raised in this file, however it is printed', () => {
    expect(raised.length).toBeGreaterThan(15);
    for (const error of raised) {
      const renderings = [
        String(error),
        inspect(error, { depth: 10, showHidden: true }),
        JSON.stringify(error),
        (error as Error).stack ?? '',
      ].join('\n');
      for (const secret of [TOKEN, READ_ONLY_TOKEN, 'tok_wrong_SECRET']) expect(renderings).not.toContain(secret);
    }
  });

  it('is not visible on the client object', () => {
    const { client } = harness();
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });

  it('is redacted from a long plain-text error body before it is cut short', async () => {
    const { client } = harness();
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 400, body: `${'x'.repeat(190)} Bearer ${TOKEN} trailing text` });
    const error = await expectError(client.getLedger(NCR), MangroveValidationError);
    // 198 characters, then "[redacted]" cut after two: no piece of the token survives the cut.
    expect(error.messages).toEqual([`${'x'.repeat(190)} Bearer [r`]);
  });

  it('is redacted when a server echoes it back', async () => {
    const { client } = harness();
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 400, body: { message: `bad header Bearer ${TOKEN}` } });
    const error = await expectError(client.getLedger(NCR), MangroveValidationError);
    expect(error.messages).toEqual(['bad header Bearer [redacted]']);
  });
});

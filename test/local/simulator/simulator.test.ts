import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEMO_INPUT_TYPES,
  DEMO_LEDGERS,
  DEMO_READONLY_TOKEN,
  DEMO_TOKEN,
  demoSeed,
  loadSeedFile,
  startSimulator,
  type Simulator,
  type SimulatorSeed,
} from '../../../local/simulator/index.js';
import { monthSpan } from '../../../local/simulator/calendar.js';
import { useSimulator } from '../../support/simulator.js';

const NCR = DEMO_LEDGERS.netCarbonRemoval;
const BIOCHAR = DEMO_LEDGERS.biocharProduced;
const LAB = DEMO_LEDGERS.labAnalyses;
const T = DEMO_INPUT_TYPES;
const Q1_2025 = { start_time: '2025-01-01T00:00:00Z', end_time: '2025-03-31T23:59:59Z' };
const T0 = Date.parse('2025-04-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

let clock = T0;
let sim: Simulator;

useSimulator({ now: () => clock, taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 } }, { onStart: (started) => (sim = started), beforeReset: () => (clock = T0) });

// Response bodies are asserted field by field; typing each shape here would only restate the contract.
type Json = any;

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  /** The whole Authorization header; null sends none. */
  authorization?: string | null;
  target?: Simulator;
  signal?: AbortSignal;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const { authorization = `Bearer ${DEMO_TOKEN}`, target = sim } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    ...(options.signal && { signal: options.signal }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const get = (path: string, options?: CallOptions) => call('GET', path, options);
const post = (path: string, body: unknown, options?: CallOptions) => call('POST', path, { ...options, body });
const generate = (body: unknown = Q1_2025, ledgerId: string = NCR) => post(`/ledgers/${ledgerId}/batch_generations`, body);
const taskAt = async (id: number, atMs: number) => {
  clock = atMs;
  return (await get(`/async_tasks/${id}`)).body;
};

type Batch = { id: string; tracking_id: string; start_time: string; end_time: string; created_at: string; ledger_balance: number; primary_output: { value: number } };
const batchesOf = (ledgerId: string) => sim.batches(ledgerId) as Batch[];

function editedSeed(edit: (seed: SimulatorSeed) => void): SimulatorSeed {
  const seed = demoSeed();
  edit(seed);
  return seed;
}

/** The documented demo formula, computed straight from the seed's readings of one UTC month. */
function expectedDemoValues(monthPrefix: string) {
  const values = (typeId: number) =>
    demoSeed()
      .dataPoints.filter((point) => point.data_point_type_id === typeId && point.timestamp.startsWith(monthPrefix))
      .map((point) => point.value);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const mean = (xs: number[]) => sum(xs) / xs.length;
  const biochar = sum(values(T.feedstockMass)) * 0.90718474 * mean(values(T.biocharYield));
  const netRemoval =
    ((biochar * mean(values(T.biocharCarbonContent))) / 100) * (44 / 12) -
    sum(values(T.transportDistance)) * 0.0017 -
    sum(values(T.pyrolysisEnergy)) * 0.0004;
  return { biochar, netRemoval };
}

describe('authentication', () => {
  it('accepts both the Bearer and the raw Authorization header', async () => {
    const bearer = await get(`/ledgers/${NCR}`, { authorization: `Bearer ${DEMO_TOKEN}` });
    const raw = await get(`/ledgers/${NCR}`, { authorization: DEMO_TOKEN });
    expect([bearer.status, raw.status]).toEqual([200, 200]);
    expect(raw.body).toEqual(bearer.body);
    expect(bearer.body.id).toBe(NCR);
  });

  it.each([
    ['no header', null],
    ['an unknown token', 'Bearer not-a-real-token'],
    ['an empty Bearer', 'Bearer '],
  ])('answers 401 {message} to %s', async (_case, authorization) => {
    const reply = await get('/ledgers', { authorization });
    expect(reply.status).toBe(401);
    expect(Object.keys(reply.body)).toEqual(['message']);
    expect(reply.body.message).not.toContain('not-a-real-token');
  });

  it('lets a read-only token read and preview but answers 403 to generation, creating nothing', async () => {
    const readOnly = { authorization: `Bearer ${DEMO_READONLY_TOKEN}` };
    expect((await get(`/ledgers/${NCR}/batches`, readOnly)).status).toBe(200);
    expect((await post(`/ledgers/${NCR}/generate_preview`, Q1_2025, readOnly)).status).toBe(200);
    const refused = await post(`/ledgers/${NCR}/batch_generations`, Q1_2025, readOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/Production Accounting/);
    expect(sim.tasks()).toEqual([]);
  });
});

describe('routing', () => {
  it.each([
    ['an unknown ledger', 'GET', '/ledgers/lgr_doesnotexist'],
    ['batches of an unknown ledger', 'GET', '/ledgers/lgr_doesnotexist/batches'],
    ['a preview of an unknown ledger', 'POST', '/ledgers/lgr_doesnotexist/generate_preview'],
    ['an unknown task', 'GET', '/async_tasks/999'],
    ['a non-numeric task id', 'GET', '/async_tasks/abc'],
    ['an unknown report', 'GET', '/reports/rpt_doesnotexist'],
    ['an unknown path', 'GET', '/projects'],
    ['a wrong method', 'DELETE', `/ledgers/${NCR}`],
  ])('answers 404 {"message":"Record not found."} to %s', async (_case, method, path) => {
    const reply = await call(method, path, { body: method === 'POST' ? Q1_2025 : undefined });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ message: 'Record not found.' });
  });

  it('returns a ledger bare and required inputs in {data}', async () => {
    const ledger = await get(`/ledgers/${NCR}`);
    expect(ledger.body).toEqual({
      id: NCR,
      name: 'Net Carbon Removal',
      unit: 't',
      system_ledger_type: null,
      partition_type: 'time',
      cadence: 'monthly',
      latest_model: { id: expect.stringMatching(/^mdl_/), name: 'Biochar Carbon Removal Model' },
      asset_category: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });

    const inputs = (await get(`/ledgers/${NCR}/required_inputs`)).body.data;
    expect(inputs.map((input: Json) => input.name)).toEqual([
      'Mass of Feedstock Delivery',
      'Transport Distance',
      'Pyrolysis Temperature',
      'Biochar Yield',
      'Pyrolysis Energy Use',
      'Biochar Carbon Content',
    ]);
    expect(inputs.every((input: Json) => Number.isInteger(input.id))).toBe(true);
    expect(inputs.find((input: Json) => input.is_manual_select)).toMatchObject({
      name: 'Biochar Carbon Content',
      unit: '%',
      subcategory: 'lab',
      output_of_ledgers: [{ id: LAB, name: 'Lab Analyses' }],
    });
    expect((await get(`/ledgers/${LAB}/required_inputs`)).body).toEqual({ data: [] });
  });
});

describe('lists', () => {
  it('wraps ledgers in the documented envelope', async () => {
    const reply = await get('/ledgers');
    expect(reply.body.data.map((ledger: Json) => ledger.id)).toEqual([NCR, BIOCHAR, LAB]);
    expect(reply.body.info).toEqual({
      items: 3,
      page_size: 10,
      total_items: 3,
      current_page: 1,
      next_page: null,
      previous_page: null,
      total_pages: 1,
      sort: [],
      filter: [],
    });
  });

  it('pages batches past 10, default order created_at ascending', async () => {
    const first = await get(`/ledgers/${NCR}/batches`);
    expect(first.body.data).toHaveLength(10);
    expect(first.body.info).toMatchObject({ items: 10, page_size: 10, total_items: 12, current_page: 1, next_page: 2, previous_page: null, total_pages: 2 });

    const pages = await Promise.all([1, 2, 3].map((page) => get(`/ledgers/${NCR}/batches?page=${page}&page_size=5`)));
    expect(pages.map((page) => page.body.info.items)).toEqual([5, 5, 2]);
    expect(pages[1]!.body.info).toEqual({
      items: 5,
      page_size: 5,
      total_items: 12,
      current_page: 2,
      next_page: 3,
      previous_page: 1,
      total_pages: 3,
      sort: [],
      filter: [],
    });
    expect(pages[2]!.body.info.next_page).toBeNull();
    const all = pages.flatMap((page) => page.body.data as Batch[]);
    expect(new Set(all.map((batch) => batch.id)).size).toBe(12);
    expect(all.map((batch) => batch.tracking_id)).toEqual(
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((month) => `${month}-2024-001`),
    );
  });

  it('caps page_size at 100 and refuses a page that is not a positive integer', async () => {
    expect((await get(`/ledgers/${NCR}/batches?page_size=500`)).body.info.page_size).toBe(100);
    for (const query of ['page=0', 'page=abc', 'page_size=-1']) {
      const reply = await get(`/ledgers/${NCR}/batches?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.message).toMatch(/page/);
    }
  });

  it('sorts by a comma list with - for descending', async () => {
    const newestFirst = await get(`/ledgers/${NCR}/batches?sort=-created_at&page_size=100`);
    const created = newestFirst.body.data.map((batch: Batch) => batch.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(newestFirst.body.data[0].tracking_id).toBe('Dec-2024-001');
    expect(newestFirst.body.info.sort).toEqual(['-created_at']);

    const byTracking = await get(`/ledgers/${NCR}/batches?sort=tracking_id,-start_time&page_size=3`);
    expect(byTracking.body.data.map((batch: Batch) => batch.tracking_id)).toEqual(['Apr-2024-001', 'Aug-2024-001', 'Dec-2024-001']);
  });

  it('filters with filter[field][eq]', async () => {
    const target = batchesOf(NCR)[4]!;
    for (const field of ['id', 'friendly_id']) {
      const reply = await get(`/ledgers/${NCR}/batches?filter[${field}][eq]=${target.id}`);
      expect(reply.body.data.map((batch: Batch) => batch.id), field).toEqual([target.id]);
    }
    const byTracking = await get(`/ledgers/${NCR}/batches?filter[tracking_id][eq]=Mar-2024-001`);
    expect(byTracking.body.data).toHaveLength(1);
    expect(byTracking.body.info.filter).toEqual([{ field: 'tracking_id', operator: 'eq', value: 'Mar-2024-001' }]);
    expect((await get(`/ledgers/${NCR}/batches?filter[state][eq]=complete`)).body.info.total_items).toBe(12);
    expect((await get(`/ledgers/${NCR}/batches?filter[state][eq]=processing`)).body.data).toEqual([]);
  });

  it.each([
    ['an unknown sort field', 'sort=-value'],
    ['an unknown filter field', 'filter[value][eq]=1'],
    ['an unsupported filter operator', 'filter[state][ne]=complete'],
  ])('answers 400 {message} to %s', async (_case, query) => {
    const reply = await get(`/ledgers/${NCR}/batches?${query}`);
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(['message']);
  });
});

describe('rate limit', () => {
  it('puts the RateLimit headers on every response, errors and faults included', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'status', status: 503 });
    const replies = [
      await get('/ledgers'),
      await get(`/ledgers/${NCR}`),
      await get('/ledgers', { authorization: null }),
      await get('/ledgers/lgr_doesnotexist'),
      await post(`/ledgers/${NCR}/generate_preview`, {}),
      await generate(),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([503, 200, 401, 404, 422, 202]);
    const resetSeconds = String(Math.ceil((T0 + 1) / 60_000) * 60);
    for (const reply of replies) {
      expect(reply.headers.get('ratelimit-limit')).toBe('1000');
      expect(reply.headers.get('ratelimit-reset')).toBe(resetSeconds);
    }
    // The tokenless request is counted on its own, so the token's count skips it.
    expect(replies.map((reply) => reply.headers.get('ratelimit-remaining'))).toEqual(['999', '998', '999', '997', '996', '995']);
  });

  it('answers 429 without Retry-After past the limit, per token, until the window resets', async () => {
    let limitedClock = Date.parse('2025-04-01T12:00:30.000Z');
    const limited = await startSimulator({ rateLimitPerMinute: 3, now: () => limitedClock });
    try {
      const statuses: Reply[] = [];
      for (let i = 0; i < 4; i++) statuses.push(await get(`/ledgers/${NCR}`, { target: limited }));
      expect(statuses.map((reply) => reply.status)).toEqual([200, 200, 200, 429]);
      const refused = statuses[3]!;
      expect(refused.body).toEqual({ message: 'Rate limit exceeded' });
      expect(refused.headers.get('retry-after')).toBeNull();
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      const resetAt = Number(refused.headers.get('ratelimit-reset'));
      expect(resetAt).toBe(Date.parse('2025-04-01T12:01:00.000Z') / 1000);

      const otherToken = await get(`/ledgers/${NCR}`, { target: limited, authorization: `Bearer ${DEMO_READONLY_TOKEN}` });
      expect(otherToken.status).toBe(200);

      limitedClock = resetAt * 1000 - 1;
      expect((await get(`/ledgers/${NCR}`, { target: limited })).status).toBe(429);
      limitedClock = resetAt * 1000;
      const afterReset = await get(`/ledgers/${NCR}`, { target: limited });
      expect(afterReset.status).toBe(200);
      expect(afterReset.headers.get('ratelimit-remaining')).toBe('2');
      expect(afterReset.headers.get('ratelimit-reset')).toBe(String(resetAt + 60));

      limited.reset();
      limitedClock = resetAt * 1000 + 1;
      expect((await get(`/ledgers/${NCR}`, { target: limited })).headers.get('ratelimit-remaining')).toBe('2');
    } finally {
      await limited.close();
    }
  });
});

describe('generation request validation', () => {
  it.each([
    ['start_time missing', { end_time: Q1_2025.end_time }, /^start_time is required$/],
    ['end_time without time', { start_time: Q1_2025.start_time, end_time: '2025-03-31' }, /^end_time must be an ISO-8601 date-time/],
    ['end_time without zone', { start_time: Q1_2025.start_time, end_time: '2025-03-31T23:59:59' }, /^end_time must be an ISO-8601 date-time/],
    ['end before start', { start_time: Q1_2025.end_time, end_time: Q1_2025.start_time }, /^end_time must be after start_time$/],
    ['end equal to start', { start_time: Q1_2025.start_time, end_time: Q1_2025.start_time }, /^end_time must be after start_time$/],
    ['unknown data points', { ...Q1_2025, data_point_ids: ['in_demo00000001', 'in_nope'] }, /^data_point_ids contains unknown data points: in_nope$/],
    ['non-string data point id', { ...Q1_2025, data_point_ids: [7] }, /^data_point_ids\[0\] must be a string$/],
    ['non-integer skipped type', { ...Q1_2025, skipped_data_point_type_ids: [1.5] }, /^skipped_data_point_type_ids\[0\] must be an integer$/],
    ['unknown skipped type', { ...Q1_2025, skipped_data_point_type_ids: [T.pyrolysisTemperature, 99] }, /^skipped_data_point_type_ids contains unknown data point types: 99$/],
    ['bad batch_amounts entry', { ...Q1_2025, batch_amounts: [{ batch_id: 'bat_hist2024m01x', allocation_group: 'a' }] }, /^batch_amounts\[0\]\.primary_output_amount is required$/],
  ])('422 with the errors array for %s, on preview and generation', async (_case, body, message) => {
    for (const endpoint of ['generate_preview', 'batch_generations']) {
      const reply = await post(`/ledgers/${NCR}/${endpoint}`, body);
      expect(reply.status, endpoint).toBe(422);
      expect(reply.body).toEqual({ status: 'error', statusCode: 422, errors: [{ message: expect.stringMatching(message) }] });
    }
    expect(sim.tasks()).toEqual([]);
  });

  it('lists every problem at once', async () => {
    const reply = await generate({ start_time: 'yesterday', data_point_ids: ['in_nope'], skipped_data_point_type_ids: [42] });
    expect(reply.body.errors.map((error: Json) => error.message.split(' ')[0])).toEqual([
      'start_time',
      'end_time',
      'data_point_ids',
      'skipped_data_point_type_ids',
    ]);
  });

  it('answers 400 {message} to a body that is not JSON', async () => {
    const reply = await call('POST', `/ledgers/${NCR}/batch_generations`, { rawBody: '{"start_time": ' });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(['message']);
  });

  it('answers 404 to an unknown batch in batch_amounts and records known ones in the task args', async () => {
    const unknown = await generate({ ...Q1_2025, batch_amounts: [{ batch_id: 'bat_unknown00000', primary_output_amount: 1, allocation_group: 'g' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Record not found.' });
    expect(sim.tasks()).toEqual([]);

    const amounts = [{ batch_id: 'bat_hist2024m01x', primary_output_amount: 12.5, allocation_group: 'buyer-a' }];
    const accepted = await generate({ ...Q1_2025, batch_amounts: amounts });
    expect(accepted.status).toBe(202);
    expect((await get(`/async_tasks/${accepted.body.id}`)).body.args).toEqual({ project_id: 123, ledger_id: NCR, ...Q1_2025, batch_amounts: amounts });
  });

  it('answers 422 to preview and generation on a ledger without a model', async () => {
    for (const endpoint of ['generate_preview', 'batch_generations']) {
      const reply = await post(`/ledgers/${LAB}/${endpoint}`, Q1_2025);
      expect(reply.status).toBe(422);
      expect(reply.body.errors[0].message).toMatch(/Lab Analyses.*no model/);
    }
  });
});

describe('preview', () => {
  it('counts one batch per month with data, for each ledger the model writes, and creates nothing', async () => {
    const q1 = await post(`/ledgers/${NCR}/generate_preview`, Q1_2025);
    expect(q1.status).toBe(200);
    expect(q1.body).toEqual({
      data: [
        { id: NCR, name: 'Net Carbon Removal', count: 3 },
        { id: BIOCHAR, name: 'Biochar Produced', count: 3 },
      ],
    });
    const april = await post(`/ledgers/${BIOCHAR}/generate_preview`, { start_time: '2025-04-01T00:00:00.000Z', end_time: '2025-04-30T23:59:59.000Z' });
    expect(april.body.data.map((entry: Json) => entry.count)).toEqual([0, 0]);
    expect(sim.tasks()).toEqual([]);
    expect(batchesOf(NCR)).toHaveLength(12);
    expect(batchesOf(BIOCHAR)).toHaveLength(0);
  });
});

describe('generation task lifecycle', () => {
  it('goes pending → running batch k of n → complete, then the batches exist', async () => {
    const accepted = await generate();
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: expect.any(Number), type: 'ProductionAccounting::BatchGeneration', state: 'pending', progress: 0, created_at: iso(T0) });
    const { id } = accepted.body;

    expect(await taskAt(id, T0 + 999)).toEqual({
      id,
      type: 'ProductionAccounting::BatchGeneration',
      state: 'pending',
      progress: 0,
      progress_description: null,
      started_at: null,
      finished_at: null,
      error_message: null,
      result: null,
      args: { project_id: 123, ledger_id: NCR, ...Q1_2025 },
      created_at: iso(T0),
    });
    const seen: [string, number][] = [];
    for (let at = T0 + 1_000; at < T0 + 7_000; at += 1_000) {
      const task = await taskAt(id, at);
      expect(task).toMatchObject({ state: 'running', started_at: iso(T0 + 1_000), finished_at: null });
      seen.push([task.progress_description, task.progress]);
      expect(batchesOf(NCR)).toHaveLength(12);
    }
    expect(seen.map(([description]) => description)).toEqual([1, 2, 3, 4, 5, 6].map((k) => `Processing batch ${k} of 6`));
    const progress = seen.map(([, value]) => value);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((value) => value > 0 && value < 100)).toBe(true);

    expect(await taskAt(id, T0 + 7_000)).toMatchObject({
      state: 'complete',
      progress: 100,
      progress_description: null,
      finished_at: iso(T0 + 7_000),
      error_message: null,
    });

    const months = [
      ['Jan-2025-001', '2025-01-01T00:00:00.000Z', '2025-01-31T23:59:59.000Z', '2025-01'],
      ['Feb-2025-001', '2025-02-01T00:00:00.000Z', '2025-02-28T23:59:59.000Z', '2025-02'],
      ['Mar-2025-001', '2025-03-01T00:00:00.000Z', '2025-03-31T23:59:59.000Z', '2025-03'],
    ] as const;
    const history = batchesOf(NCR).slice(0, 12);
    let balance = history.at(-1)!.ledger_balance;
    expect(balance).toBeCloseTo(history.reduce((total, batch) => total + batch.primary_output.value, 0), 3);
    for (const ledgerId of [NCR, BIOCHAR]) {
      const created = batchesOf(ledgerId).filter((batch) => batch.created_at === iso(T0 + 7_000));
      expect(created.map((batch) => [batch.tracking_id, batch.start_time, batch.end_time])).toEqual(months.map(([t, s, e]) => [t, s, e]));
      created.forEach((batch, index) => {
        const expected = expectedDemoValues(months[index]![3]);
        expect(batch.id).toMatch(/^bat_[a-z0-9]{12}$/);
        expect(batch.primary_output.value).toBeCloseTo(ledgerId === NCR ? expected.netRemoval : expected.biochar, 3);
      });
    }
    for (const batch of batchesOf(NCR).slice(12)) {
      balance += batch.primary_output.value;
      expect(batch.ledger_balance).toBeCloseTo(balance, 3);
    }
    const jan = batchesOf(NCR)[12]!;
    expect(jan.primary_output.value).toBeGreaterThan(10);
    expect(jan).toMatchObject({ state: 'complete', updated_at: iso(T0 + 7_000), allocations: [], feedstocks: [] });
    expect(jan).toHaveProperty('model_run.state', 'complete');
    expect(jan).toHaveProperty('primary_output.data_point_type_id');
  });

  it('clips the first and last month to the window', async () => {
    // Both partial months still hold every required input.
    const window = { start_time: '2025-01-10T00:00:00Z', end_time: '2025-02-27T12:00:00.000Z' };
    expect((await post(`/ledgers/${NCR}/generate_preview`, window)).body.data[0].count).toBe(2);
    const { id } = (await generate(window)).body;
    expect((await taskAt(id, T0 + 60_000)).state).toBe('complete');
    expect(batchesOf(BIOCHAR).map((batch) => [batch.start_time, batch.end_time])).toEqual([
      ['2025-01-10T00:00:00.000Z', '2025-01-31T23:59:59.000Z'],
      ['2025-02-01T00:00:00.000Z', '2025-02-27T12:00:00.000Z'],
    ]);
  });

  it('creates duplicates when a window is generated twice, numbering them on', async () => {
    await generate();
    clock = T0 + 10_000;
    await generate();
    clock = T0 + 20_000;
    expect(batchesOf(BIOCHAR).map((batch) => batch.tracking_id)).toEqual([
      'Jan-2025-001',
      'Feb-2025-001',
      'Mar-2025-001',
      'Jan-2025-002',
      'Feb-2025-002',
      'Mar-2025-002',
    ]);
    const values = batchesOf(BIOCHAR).map((batch) => batch.primary_output.value);
    expect(values.slice(3)).toEqual(values.slice(0, 3));
  });

  it('failNextTask: the next task fails with that message and writes nothing; the one after succeeds', async () => {
    sim.faults.failNextTask('Model run crashed');
    const failing = (await generate()).body.id;
    const healthy = (await generate()).body.id;
    expect(await taskAt(failing, T0 + 1_500)).toMatchObject({ state: 'running' });
    expect(await taskAt(failing, T0 + 60_000)).toMatchObject({
      state: 'failed',
      error_message: 'Model run crashed',
      progress_description: null,
      finished_at: iso(T0 + 2_000),
    });
    expect((await taskAt(healthy, T0 + 60_000)).state).toBe('complete');
    expect(batchesOf(BIOCHAR)).toHaveLength(3);
  });

  it('stallNextTask: the task stays running at that progress for ever', async () => {
    sim.faults.stallNextTask(40);
    const { id } = (await generate()).body;
    const task = await taskAt(id, T0 + 24 * 3_600_000);
    expect(task).toMatchObject({ state: 'running', progress: 40, finished_at: null });
    expect(task.progress_description).toMatch(/^Processing batch \d of 6$/);
    expect(batchesOf(BIOCHAR)).toEqual([]);
  });

  it('fails with "Missing <input> for <Mon YYYY>" when a month lacks a required input, unless that type is skipped', async () => {
    sim.reset(
      editedSeed((seed) => {
        seed.dataPoints = seed.dataPoints.filter((point) => !(point.data_point_type_id === T.biocharYield && point.timestamp.startsWith('2025-02')));
      }),
    );
    const { id } = (await generate()).body;
    expect(await taskAt(id, T0 + 60_000)).toMatchObject({ state: 'failed', error_message: 'Missing Biochar Yield for Feb 2025' });
    expect(batchesOf(NCR)).toHaveLength(12);

    const skipped = (await generate({ ...Q1_2025, skipped_data_point_type_ids: [T.biocharYield] })).body.id;
    expect((await taskAt(skipped, T0 + 120_000)).state).toBe('complete');
    // Every Biochar Produced term reads the yield, so skipping it zeroes the ledger.
    expect(batchesOf(BIOCHAR).map((batch) => batch.primary_output.value)).toEqual([0, 0, 0]);
  });

  it('uses only the named data points for the manual-select input', async () => {
    const labPoints = demoSeed().dataPoints.filter((point) => point.data_point_type_id === T.biocharCarbonContent);
    const janOnly = (await generate({ ...Q1_2025, data_point_ids: [labPoints[0]!.id] })).body.id;
    expect(await taskAt(janOnly, T0 + 60_000)).toMatchObject({ state: 'failed', error_message: 'Missing Biochar Carbon Content for Feb 2025' });

    const all = (await generate({ ...Q1_2025, data_point_ids: labPoints.map((point) => point.id) })).body.id;
    expect((await taskAt(all, T0 + 120_000)).state).toBe('complete');
    expect(batchesOf(NCR).slice(12).map((batch) => batch.primary_output.value)).toEqual(
      ['2025-01', '2025-02', '2025-03'].map((month) => expect.closeTo(expectedDemoValues(month).netRemoval, 3)),
    );
  });
});

describe('faults', () => {
  it('status: that status, a default {message}, Retry-After when asked, for `times` requests, FIFO', async () => {
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 503, retryAfterSeconds: 7 }, 2);
    sim.faults.inject('GET /ledgers/:id', { kind: 'status', status: 500, body: { error: 'boom' } });
    const replies: Reply[] = [];
    for (let i = 0; i < 4; i++) replies.push(await get(`/ledgers/${NCR}`));
    expect(replies.map((reply) => reply.status)).toEqual([503, 503, 500, 200]);
    expect(replies[0]!.body).toEqual({ message: 'Service Unavailable' });
    expect(replies[0]!.headers.get('retry-after')).toBe('7');
    expect(replies[2]!.body).toEqual({ error: 'boom' });
    expect(replies[2]!.headers.get('retry-after')).toBeNull();
  });

  it('acts before authentication, like a gateway', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'status', status: 502 });
    expect((await get('/ledgers', { authorization: null })).status).toBe(502);
    expect((await get('/ledgers', { authorization: null })).status).toBe(401);
  });

  it('hang: no response until the client gives up; the next request is served', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'hang' });
    const hung = get('/ledgers', { signal: AbortSignal.timeout(200) });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await get('/ledgers')).status).toBe(200);
    expect(sim.requests.map((request) => [request.status, request.fault])).toEqual([
      [null, 'hang'],
      [200, null],
    ]);
  });

  it('hang after processing: the POST creates its task, then never answers; close() still finishes', async () => {
    const own = await startSimulator({ now: () => clock });
    own.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'hang', afterProcessing: true });
    await expect(post(`/ledgers/${NCR}/batch_generations`, Q1_2025, { target: own, signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(own.tasks()).toHaveLength(1);
    // A second hung request still open when closing.
    own.faults.inject('GET /ledgers', { kind: 'hang' });
    const stillOpen = get('/ledgers', { target: own }).catch((error: unknown) => error);
    await expect.poll(() => own.requests.length).toBe(2);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await stillOpen).toBeInstanceOf(Error);
  });

  it('reset: the socket is destroyed without a response, with or without processing first', async () => {
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'reset' });
    await expect(generate()).rejects.toThrow(TypeError);
    expect(sim.tasks()).toHaveLength(0);

    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'reset', afterProcessing: true });
    await expect(generate()).rejects.toThrow(TypeError);
    expect(sim.tasks()).toHaveLength(1);
    expect(sim.requests.map((request) => [request.status, request.fault])).toEqual([
      [null, 'reset'],
      [null, 'reset'],
    ]);
  });

  it('malformed-json: 200 with a JSON content type and a body that does not parse', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'malformed-json' });
    const response = await fetch(`${sim.url}/ledgers`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('omit-field: deletes the field at top level and from each item of data', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'omit-field', field: 'id' });
    sim.faults.inject('GET /ledgers/:id', { kind: 'omit-field', field: 'latest_model' });
    const list = await get('/ledgers');
    expect(list.body.data).toHaveLength(3);
    for (const ledger of list.body.data) {
      expect(ledger).not.toHaveProperty('id');
      expect(ledger).toHaveProperty('name');
    }
    const one = await get(`/ledgers/${NCR}`);
    expect(one.body).not.toHaveProperty('latest_model');
    expect(one.body.id).toBe(NCR);
  });

  it('clear() drops queued faults and task outcomes', async () => {
    sim.faults.inject('GET /ledgers', { kind: 'status', status: 500 });
    sim.faults.failNextTask('never');
    sim.faults.clear();
    expect((await get('/ledgers')).status).toBe(200);
    const { id } = (await generate()).body;
    expect((await taskAt(id, T0 + 60_000)).state).toBe('complete');
  });

  it('refuses a nonsense injection', () => {
    expect(() => sim.faults.inject('GET /ledgers', { kind: 'status', status: 503 }, 0)).toThrow(/times/);
    expect(() => sim.faults.stallNextTask(150)).toThrow(/atProgress/);
  });
});

describe('request log', () => {
  it('records method, path, route, status and fault, counts calls per route, and never the token', async () => {
    clock = T0 + 5;
    await get(`/ledgers/${NCR}/batches?page=2&page_size=5`, { authorization: DEMO_TOKEN });
    await get('/nowhere');
    await get(`/ledgers/${NCR}/batches`);
    expect(sim.requests[0]).toEqual({
      method: 'GET',
      path: `/api/v1/ledgers/${NCR}/batches?page=2&page_size=5`,
      route: 'GET /ledgers/:id/batches',
      status: 200,
      fault: null,
      at: iso(T0 + 5),
    });
    expect(sim.requests[1]).toMatchObject({ route: null, status: 404 });
    expect(sim.callCounts()).toEqual({ 'GET /ledgers/:id/batches': 2 });
    expect(JSON.stringify(sim.requests)).not.toContain(DEMO_TOKEN);
  });
});

describe('admin API', () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.origin}/__admin${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  it('injects and clears faults', async () => {
    expect((await admin('POST', '/faults', { route: 'GET /ledgers', fault: { kind: 'status', status: 504 }, times: 2 })).status).toBe(204);
    expect((await get('/ledgers')).status).toBe(504);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await get('/ledgers')).status).toBe(200);
  });

  it('names the bad field of an injection', async () => {
    const reply = await admin('POST', '/faults', { route: 'GET /nowhere', fault: { kind: 'hang' } });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^route:/);
  });

  it('fails and stalls the next tasks', async () => {
    expect((await admin('POST', '/tasks/fail-next', { message: 'Worker lost' })).status).toBe(204);
    expect((await admin('POST', '/tasks/stall-next', { atProgress: 75 })).status).toBe(204);
    const failed = (await generate()).body.id;
    const stalled = (await generate()).body.id;
    expect(await taskAt(failed, T0 + 60_000)).toMatchObject({ state: 'failed', error_message: 'Worker lost' });
    expect(await taskAt(stalled, T0 + 60_000)).toMatchObject({ state: 'running', progress: 75 });
  });

  it('lists the API requests (not its own) and resets everything', async () => {
    await generate();
    await admin('POST', '/faults', { route: 'GET /ledgers', fault: { kind: 'status', status: 500 } });
    const log = await admin('GET', '/requests');
    expect(log.body.data.map((request: Json) => request.route)).toEqual(['POST /ledgers/:id/batch_generations']);

    expect((await admin('POST', '/reset')).status).toBe(204);
    expect(sim.tasks()).toEqual([]);
    expect(sim.requests).toEqual([]);
    expect((await get('/ledgers')).status).toBe(200);
    expect((await admin('GET', '/unknown')).status).toBe(404);
  });
});

describe('seeds', () => {
  const directory = mkdtempSync(join(tmpdir(), 'simulator-seed-'));
  const writeSeed = (name: string, content: unknown) => {
    const path = join(directory, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('loads a valid seed file', () => {
    const seed = loadSeedFile(writeSeed('demo.json', demoSeed()));
    expect(seed.ledgers.map((ledger) => ledger.id)).toEqual([NCR, BIOCHAR, LAB]);
  });

  it.each([
    ['a modelled ledger without a cadence', (seed: Json) => (seed.ledgers[0].cadence = null), /ledgers\[0\]\.cadence/],
    ['an unknown data point type', (seed: Json) => (seed.dataPoints[2].data_point_type_id = 77), /dataPoints\[2\]\.data_point_type_id: unknown data point type 77/],
    ['a bad time zone', (seed: Json) => (seed.project.timeZone = 'Mars/Olympus'), /project\.timeZone/],
    ['a missing field', (seed: Json) => delete seed.models[0].outputs[1].terms[0].factors[0].aggregate, /models\[0\]\.outputs\[1\]\.terms\[0\]\.factors\[0\]\.aggregate/],
  ])('names the field of %s', (_case, edit, message) => {
    const seed: Json = demoSeed();
    edit(seed);
    const path = writeSeed('bad.json', seed);
    expect(() => loadSeedFile(path)).toThrow(message);
    expect(() => loadSeedFile(path)).toThrow(path);
  });

  it('reports a file that is not JSON', () => {
    expect(() => loadSeedFile(writeSeed('broken.json', '{"project": '))).toThrow(/Cannot read seed file/);
  });

  it('partitions months in the project time zone', async () => {
    const newYork = (extraDelivery: boolean) =>
      editedSeed((seed) => {
        seed.project.timeZone = 'America/New_York';
        // 02:00 UTC on 1 February is still 31 January in New York.
        if (extraDelivery) seed.dataPoints.push({ id: 'in_lateevening1', data_point_type_id: T.feedstockMass, value: 10, timestamp: '2025-02-01T02:00:00Z' });
      });
    const newYorkQ1 = { start_time: '2025-01-01T05:00:00Z', end_time: '2025-04-01T03:59:59Z' };
    const run = async (seed: SimulatorSeed) => {
      sim.reset(seed);
      clock = T0;
      await generate(newYorkQ1);
      clock = T0 + 60_000;
      return batchesOf(BIOCHAR);
    };

    const without = await run(newYork(false));
    expect(without.map((batch) => [batch.tracking_id, batch.start_time, batch.end_time])).toEqual([
      ['Jan-2025-001', '2025-01-01T05:00:00.000Z', '2025-02-01T04:59:59.000Z'],
      ['Feb-2025-001', '2025-02-01T05:00:00.000Z', '2025-03-01T04:59:59.000Z'],
      // Daylight saving time starts on 9 March.
      ['Mar-2025-001', '2025-03-01T05:00:00.000Z', '2025-04-01T03:59:59.000Z'],
    ]);
    const withExtra = await run(newYork(true));
    const [janDelta, febDelta, marDelta] = withExtra.map((batch, i) => batch.primary_output.value - without[i]!.primary_output.value);
    expect(janDelta).toBeCloseTo(10 * 0.90718474 * 0.265, 2);
    expect([febDelta, marDelta]).toEqual([0, 0]);
  });
});

describe('calendar', () => {
  it('finds local midnight on the 1st even when the offset changes later that night', () => {
    // Sydney left daylight saving time at 03:00 on Sunday 1 April 2018: its midnight was still UTC+11.
    const april = monthSpan({ year: 2018, month: 4 }, 'Australia/Sydney');
    expect(iso(april.startMs)).toBe('2018-03-31T13:00:00.000Z');
    expect(iso(april.endMs)).toBe('2018-04-30T13:59:59.000Z');
  });
});

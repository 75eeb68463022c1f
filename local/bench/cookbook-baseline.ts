/**
 * The literal cookbook as a script: its seven calls with plain fetch, as curl would make them, a
 * fixed poll interval, nothing else (no records, no retries, no checks). The bench's baseline for
 * `npm start`: same simulator, same demo timing, same window; polling every 5 s (the product's first
 * interval) unless `--poll-ms` says otherwise. Run it: `node --import tsx/esm local/bench/cookbook-baseline.ts`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_POLL_INTERVAL_SECONDS } from '../../functions/shared/limits.js';
import { DEMO_TASK_TIMING, DEMO_TOKEN, startSimulator } from '../simulator/index.js';

/** The product's first poll interval, so the two compare like for like; `--poll-ms` sets another. */
export const COOKBOOK_POLL_MS = DEFAULT_POLL_INTERVAL_SECONDS * 1000;

export async function cookbookRun(
  baseUrl: string,
  token: string,
  ledgerName: string,
  window: { start_time: string; end_time: string },
  pollMs = COOKBOOK_POLL_MS,
): Promise<{ calls: number; batches: number }> {
  let calls = 0;
  const call = async (path: string, init: RequestInit = {}): Promise<any> => {
    calls += 1;
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    return response.json();
  };
  const ledgers = await call('/ledgers');
  const ledger = ledgers.data.find((candidate: { name: string }) => candidate.name === ledgerName);
  await call(`/ledgers/${ledger.id}/required_inputs`);
  await call(`/ledgers/${ledger.id}/generate_preview`, { method: 'POST', body: JSON.stringify(window) });
  const task = await call(`/ledgers/${ledger.id}/batch_generations`, { method: 'POST', body: JSON.stringify(window) });
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const status = await call(`/async_tasks/${task.id}`);
    if (status.state === 'complete' || status.state === 'failed') break;
  }
  const batches = await call(`/ledgers/${ledger.id}/batches?sort=-created_at`);
  return { calls, batches: batches.data.length };
}

// Run as a script: the whole thing, simulator included, as `npm start` does it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'poll-ms': { type: 'string' } } });
  const pollMs = values['poll-ms'] === undefined ? COOKBOOK_POLL_MS : Number(values['poll-ms']);
  const sim = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
  const outcome = await cookbookRun(sim.url, DEMO_TOKEN, 'Net Carbon Removal', { start_time: '2025-01-01T00:00:00Z', end_time: '2025-03-31T23:59:59Z' }, pollMs);
  console.log(JSON.stringify(outcome));
  await sim.close();
}

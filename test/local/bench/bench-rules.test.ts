import { describe, expect, it } from 'vitest';
import { minimumCalls, schedulePollsFor } from '../../../local/bench/minimum-calls.js';
import { portfolioSeed } from '../../../local/bench/portfolio-seed.js';
import { VirtualClock } from '../../../local/bench/virtual-clock.js';

const DEFAULTS = { pollIntervalSeconds: 5, maxPollIntervalSeconds: 60 };

describe('the bench’s virtual clock', () => {
  it('lets parallel sleepers wait side by side, not one after another', async () => {
    const clock = new VirtualClock(0, 1);
    const woke: Array<[string, number]> = [];
    await Promise.all([
      clock.sleep(8_000).then(() => woke.push(['b', clock.ms])),
      clock.sleep(5_000).then(() => woke.push(['a', clock.ms])),
    ]);
    expect(woke).toEqual([
      ['a', 5_000],
      ['b', 8_000],
    ]);
  });

  it('stands still while work runs, and lets others wake while work sleeps within', async () => {
    const clock = new VirtualClock(0, 1);
    let seenDuringWork = -1;
    const work = clock.work(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seenDuringWork = clock.ms;
      await clock.sleepWithin(3_000);
      return clock.ms;
    });
    const sleeper = clock.sleep(1_000).then(() => clock.ms);
    expect(await sleeper).toBe(1_000);
    expect(seenDuringWork).toBe(0);
    expect(await work).toBe(3_000);
  });
});

describe('the bench’s minimum calls', () => {
  it('counts the polls of the growing schedule up to the task’s end', () => {
    expect(schedulePollsFor(3, DEFAULTS)).toBe(1);
    expect(schedulePollsFor(5, DEFAULTS)).toBe(1);
    // 5, 13, 25 s
    expect(schedulePollsFor(15, DEFAULTS)).toBe(3);
  });

  it('is one listing, the cookbook per generation, and two batch reads per written ledger', () => {
    const minimum = minimumCalls({ accountLedgers: 3, generations: [{ writtenLedgers: 2, durationSeconds: 3 }] }, DEFAULTS);
    expect(Object.fromEntries(minimum)).toEqual({
      'GET /ledgers': 1,
      'GET /ledgers/:id/required_inputs': 1,
      'POST /ledgers/:id/generate_preview': 1,
      'POST /ledgers/:id/batch_generations': 1,
      'GET /async_tasks/:id': 1,
      'GET /ledgers/:id/batches': 4,
    });
  });
});

describe('the bench’s portfolio seed', () => {
  it('gives most ledgers a model of their own and three in ten a shared one', () => {
    const { seed, ledgerIds, models } = portfolioSeed(20);
    expect(ledgerIds).toHaveLength(20);
    expect(models).toBe(2 + 14);
    const bench = seed.ledgers.filter((ledger) => ledgerIds.includes(ledger.id));
    const perModel = new Map<string, number>();
    for (const ledger of bench) perModel.set(String(ledger.modelId), (perModel.get(String(ledger.modelId)) ?? 0) + 1);
    expect([...perModel.values()].filter((n) => n === 3)).toHaveLength(2);
    for (const model of seed.models.filter((candidate) => perModel.has(candidate.id))) {
      expect(model.outputs.map((output) => output.ledgerId).sort()).toEqual(bench.filter((ledger) => ledger.modelId === model.id).map((ledger) => ledger.id).sort());
    }
  });
});

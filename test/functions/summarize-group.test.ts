import { describe, expect, it } from 'vitest';
import { resolveRun } from '../../functions/resolve-run/resolve-run-plan.js';
import { executionInputSchema } from '../../functions/shared/run-plan.js';
import { describeFailure } from '../../functions/describe-failure/handler.js';
import {
  MAX_BATCH_AMOUNTS,
  MAX_DATA_POINT_IDS,
  MAX_FAILURE_CAUSE_CHARS,
  MAX_ID_CHARS,
  MAX_LEDGER_REF_CHARS,
  MAX_LEDGERS_PER_RUN,
  MAX_SKIPPED_DATA_POINT_TYPES,
  MAX_UNRESOLVED_CAUSE_CHARS,
  MAX_UNRESOLVED_LISTED,
} from '../../functions/shared/limits.js';
import type { LedgerFailure, LedgerOutcome } from '../../functions/shared/state-contract.js';
import { itemsPerGroupFor } from '../../functions/shared/run-budget.js';
import { causeCharsFor, summarizeGroup } from '../../functions/summarize-group/handler.js';

const WINDOW = { startTime: '2025-01-01T00:00:00.000Z', endTime: '2025-01-31T23:59:59.000Z', label: '2025-01' };
// Names as long as an input may name them: the worst case for the run's state.
const NAME = (index: number) => `Ledger ${index} `.padEnd(MAX_LEDGER_REF_CHARS, 'x');
const ledger = (index: number) => ({ ref: NAME(index), id: `lgr_bench${String(index).padStart(4, '0')}`, name: NAME(index), unit: 't', modelId: `mdl_bench${index}` });
const failed = (index: number, cause: string): LedgerFailure => ({ ledger: ledger(index), outcome: 'failed', step: 'GetGenerationStatus', error: 'GenerationFailedError', cause, window: WINDOW });
const generated = (index: number, value: number, unit: string | null): LedgerOutcome => ({
  ledger: ledger(index),
  window: WINDOW,
  outcome: 'generated',
  preview: { ledgers: [{ id: ledger(index).id, name: ledger(index).name, count: 1 }], total: 1, previewedAt: WINDOW.startTime, overdueAlert: false },
  generation: { outcome: 'started', taskId: 1, taskCreatedAt: null, startedAt: WINDOW.startTime, deadline: WINDOW.endTime, existingBatches: [], heldBy: null },
  verification: { ledgers: [{ id: ledger(index).id, name: ledger(index).name, expected: 1, found: 1, total: { value, unit }, batches: [] }] },
});

describe('SummarizeGroup', () => {
  it('counts outcomes, batches and amounts per unit, and names the first failure with its cause clipped', () => {
    const summary = summarizeGroup(['lgr_a', 'lgr_b'], [
      generated(1, 10.5, 't'),
      generated(2, 2, 't'),
      generated(3, 7, 'kg'),
      failed(4, 'x'.repeat(5_000)),
      failed(5, 'second'),
    ], causeCharsFor(1));
    expect(summary).toMatchObject({ ledgers: 2, outcomes: { generated: 3, failed: 2 }, batchesGenerated: 3, anyFailed: true, failed: 2 });
    expect(summary.amounts).toEqual([
      { unit: 't', value: 12.5 },
      { unit: 'kg', value: 7 },
    ]);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.cause).toHaveLength(MAX_FAILURE_CAUSE_CHARS);
  });

  it("a Lambda error's Cause (JSON) is listed as the start of its message, readable however short its share", () => {
    const lambdaCause = JSON.stringify({ errorType: 'GenerationFailedError', errorMessage: `Missing Transport Distance ${'for every month '.repeat(40)}`, trace: [] });
    const summary = summarizeGroup(['lgr_a'], [failed(1, lambdaCause)], causeCharsFor(MAX_LEDGERS_PER_RUN));
    expect(summary.failures[0]?.cause).toMatch(/^Missing Transport Distance for every month .*…$/);
    expect(summary.failures[0]?.cause).toHaveLength(causeCharsFor(MAX_LEDGERS_PER_RUN));
  });

  it('a run of few groups keeps whole messages; of many, each keeps its share of the budget', () => {
    expect(causeCharsFor(1)).toBe(MAX_FAILURE_CAUSE_CHARS);
    expect(causeCharsFor(MAX_LEDGERS_PER_RUN)).toBeLessThan(MAX_FAILURE_CAUSE_CHARS);
    expect(causeCharsFor(MAX_LEDGERS_PER_RUN)).toBeGreaterThanOrEqual(60);
  });

  it('a group with no failure says so', () => {
    expect(summarizeGroup(['lgr_a'], [generated(1, 1, 't')])).toMatchObject({ anyFailed: false, failed: 0, failures: [] });
  });
});

describe("the run's state at its largest", () => {
  it(`${MAX_LEDGERS_PER_RUN} ledgers of a model each, every one failing with a long cause, stay under 256 KB after the groups`, () => {
    const refs = Array.from({ length: MAX_LEDGERS_PER_RUN }, (_, index) => ledger(index).name);
    const defaults = { ledgers: [], timeZone: 'UTC', pollIntervalSeconds: 5, maxWaitMinutes: 120, autoDiscoverDataPoints: true };
    // Every Mangrove parameter at its most, too: each child's plan carries them.
    const parameters = {
      dataPointIds: Array.from({ length: MAX_DATA_POINT_IDS }, (_, index) => `in_${String(index).padEnd(MAX_ID_CHARS - 3, 'x')}`),
      batchAmounts: Array.from({ length: MAX_BATCH_AMOUNTS }, (_, index) => ({ batchId: `bat_${String(index).padEnd(MAX_ID_CHARS - 4, 'x')}`, primaryOutputAmount: 123456.789, allocationGroup: 'g'.repeat(MAX_ID_CHARS) })),
      skippedDataPointTypeIds: Array.from({ length: MAX_SKIPPED_DATA_POINT_TYPES }, (_, index) => 100_000 + index),
    };
    const input = executionInputSchema.parse({ month: '2025-01', ledgers: refs, ...parameters });
    const plan = resolveRun(input, defaults, Date.parse('2025-04-02T06:00:00Z'));
    // A few references cannot be generated; every other ledger is a group of its own that failed.
    const unresolved = Array.from({ length: MAX_UNRESOLVED_LISTED }, (_, index) => ({ ...failed(index, 'z'.repeat(MAX_UNRESOLVED_CAUSE_CHARS)), ledger: { ref: NAME(index) }, step: 'GroupLedgers' }));
    const groups = refs.length - MAX_UNRESOLVED_LISTED;
    const results = refs.slice(MAX_UNRESOLVED_LISTED).map((_, index) => summarizeGroup([ledger(index).id], [failed(index, 'y'.repeat(5_000))], causeCharsFor(groups)));
    const state = { plan, grouping: { unresolved, unresolvedTotal: unresolved.length, anyUnresolved: true }, results };
    // The alert lists the first of them and counts the rest.
    const alert = describeFailure('run', plan.window, [...unresolved, ...results.flatMap((summary) => summary.failures)], MAX_LEDGERS_PER_RUN, refs);
    // Every state the run holds at its largest: after GroupLedgers (every resolved ledger), after the
    // groups (every summary), and after DescribeFailure (which keeps only its alert).
    const resolvedGroups = refs.slice(MAX_UNRESOLVED_LISTED).map((_, index) => ({ modelId: ledger(index).modelId, ledgers: [ledger(index)] }));
    const sizes = {
      afterGroupLedgers: Buffer.byteLength(JSON.stringify({ plan, grouping: { groups: resolvedGroups, unresolved, unresolvedTotal: unresolved.length, anyUnresolved: true } })),
      afterGroups: Buffer.byteLength(JSON.stringify(state)),
      afterDescribeFailure: Buffer.byteLength(JSON.stringify({ alert })),
    };
    if (process.env.DRILL_REPORT) console.error(`largest run states: ${JSON.stringify(sizes)}`);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThan(256 * 1024);

    expect(alert.message.match(/^Ledger: /gm)).toHaveLength(20);
    expect(alert.message).toContain(`…and ${MAX_LEDGERS_PER_RUN - 20} more failed ledger-month(s)`);
    expect(alert.subject).toContain(`${MAX_LEDGERS_PER_RUN} ledger-months`);
  });
});

describe('a 100-ledger × 12-month reconciliation', () => {
  it('keeps the run and each child far under 256 KB', () => {
    const refs = Array.from({ length: 100 }, (_, index) => ledger(index).name);
    const defaults = { ledgers: refs, timeZone: 'UTC', pollIntervalSeconds: 5, maxWaitMinutes: 60, autoDiscoverDataPoints: true, lookbackMonths: 12 };
    const plan = resolveRun({ source: 'schedule', scheduledTime: '2026-01-02T06:00:00Z' }, defaults, Date.parse('2026-01-02T06:00:00Z'));
    expect(plan.slots).toHaveLength(12);
    // A child: one ledger's twelve months, each generated (the largest outcome), then its summary.
    const outcomes = plan.slots.map((slot) => ({ ...generated(0, 61.12, 't'), window: slot.plan.window }));
    const child = { group: { modelId: 'mdl_bench0', ledgers: [ledger(0)] }, groupCount: 100, plan, slots: plan.slots, outcomes: [outcomes] };
    const run = { plan, grouping: { unresolved: [], unresolvedTotal: 0, anyUnresolved: false }, results: refs.map(() => summarizeGroup([ledger(0).id], outcomes)) };
    const childBytes = Buffer.byteLength(JSON.stringify(child));
    const runBytes = Buffer.byteLength(JSON.stringify(run));
    if (process.env.DRILL_REPORT) console.error(`100 × 12: run state ${runBytes} bytes, largest child state ${childBytes} bytes`);
    expect(runBytes).toBeLessThan(64 * 1024);
    expect(childBytes).toBeLessThan(64 * 1024);
  });
});

describe('a child of co-written ledgers', () => {
  it.each([1, 10, 62, 200])('a model writing %i ledgers: the outcomes a child may hold stay under 256 KB', (written) => {
    const names = Array.from({ length: written }, (_, index) => ledger(index));
    const batch = { id: 'bat_0123456789abcdef', trackingId: 'Jan-2025-001', startTime: WINDOW.startTime, endTime: WINDOW.endTime, value: 123.456, unit: 't' };
    const outcome = {
      ...generated(0, 1, 't'),
      preview: { ledgers: names.map((entry) => ({ id: entry.id, name: entry.name, count: 1 })), total: written, previewedAt: WINDOW.startTime, overdueAlert: false },
      verification: { ledgers: names.map((entry) => ({ id: entry.id, name: entry.name, expected: 1, found: 1, total: { value: 123.456, unit: 't' }, batches: [batch] })) },
    };
    const items = itemsPerGroupFor(written);
    const bytes = Buffer.byteLength(JSON.stringify({ outcomes: [Array.from({ length: items }, () => outcome)] }));
    if (process.env.DRILL_REPORT) console.error(`written ${written}: ${items} item(s), ${bytes} bytes`);
    expect(items).toBeGreaterThanOrEqual(1);
    expect(bytes).toBeLessThan(200 * 1024);
  });
});

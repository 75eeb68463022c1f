import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveRunPlan } from '../functions/resolve-run/resolve-run-plan.js';
import { executionInputSchema } from '../functions/shared/run-plan.js';
import { runDefaultsOf, readCdkJsonConfig } from '../lib/config.js';

// The README's copy-paste execution inputs live in events/; the same schema as the ResolveRun step judges them.
const EVENTS_DIR = new URL('../events/', import.meta.url);
const files = readdirSync(EVENTS_DIR).filter((name) => name.endsWith('.json'));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('events/*.json', () => {
  it('holds the documented examples', () => {
    expect(files.sort()).toEqual(
      ['backfill-range', 'dry-run', 'force', 'last-month', 'mangrove-parameters', 'one-month', 'scheduled', 'several-ledgers', 'submit-quarter', 'window'].map((name) => `${name}.json`),
    );
  });

  it.each(files)('%s is a valid execution input that resolves to a plan', (file) => {
    const input = JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')) as unknown;
    const parsed = executionInputSchema.safeParse(input);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const plan = resolveRunPlan(parsed.data ?? {}, runDefaultsOf(readCdkJsonConfig()), Date.parse('2026-11-23T00:00:00Z'));
    expect(plan.ledgers.length).toBeGreaterThan(0);
    expect(Date.parse(plan.window.endTime)).toBeGreaterThan(Date.parse(plan.window.startTime));
  });

  it.each(files)('%s is shown in the README', (file) => {
    const input = readFileSync(new URL(file, EVENTS_DIR), 'utf8').trim();
    expect(readme).toContain(input);
  });
});

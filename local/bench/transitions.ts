/** State transitions, Lambda invocations and Standard-workflow cost of a run, and of a year of scheduled fires. */
import { DEMO_TASK_TIMING } from '../simulator/index.js';
import { benchRun, openWorld, type BenchRun } from './workflow-run.js';
import type { Row } from './table.js';

/** Standard workflows: $0.025 per 1,000 state transitions. */
const DOLLARS_PER_TRANSITION = 0.025 / 1000;
/** lib/config.ts DEFAULT_SCHEDULE cron(0 6 1-10 * ? *): ten fires a month. */
const FIRES_PER_MONTH = 10;

const fire = (iso: string) => ({ source: 'schedule', scheduledTime: iso });

export async function transitionRows(): Promise<Row[]> {
  const demo = await (async () => {
    const world = await openWorld({ taskTiming: DEMO_TASK_TIMING });
    try {
      return await benchRun(world, { from: '2025-01', to: '2025-03' });
    } finally {
      await world.close();
    }
  })();

  // Steady state of the deployed schedule: March 2 generates Jan and Feb (Dec 2024 is on the
  // ledger already), so April 2 finds those recorded and generates March, and April 3 finds all three recorded.
  const world = await openWorld({ taskTiming: DEMO_TASK_TIMING, startMs: Date.parse('2025-03-02T06:00:00Z') });
  let generating: BenchRun;
  let recorded: BenchRun;
  try {
    await benchRun(world, fire('2025-03-02T06:00:00Z'));
    world.clock.ms = Date.parse('2025-04-02T06:00:00Z');
    generating = await benchRun(world, fire('2025-04-02T06:00:00Z'));
    world.clock.ms = Date.parse('2025-04-03T06:00:00Z');
    recorded = await benchRun(world, fire('2025-04-03T06:00:00Z'));
  } finally {
    await world.close();
  }
  for (const [name, run] of [['demo', demo], ['generating fire', generating], ['recorded fire', recorded]] as const) {
    if (run.result.status !== 'SUCCEEDED') throw new Error(`${name} failed: ${run.result.error}: ${run.result.cause}`);
  }

  const cost = (transitions: number) => `$${(transitions * DOLLARS_PER_TRANSITION).toFixed(4)}`;
  const perRun = (run: BenchRun) => `${run.transitions} / ${run.lambdaInvocations} (${cost(run.transitions)})`;
  const yearTransitions = 12 * (generating.transitions + (FIRES_PER_MONTH - 1) * recorded.transitions);
  const yearLambdas = 12 * (generating.lambdaInvocations + (FIRES_PER_MONTH - 1) * recorded.lambdaInvocations);
  const info = (figure: string, measured: string): Row => ({ figure, measured, before: '', target: '', holds: null });
  return [
    info('transitions / Lambda invocations ($), demo run (1 ledger, 2025-01..03)', perRun(demo)),
    info('  demo run once a month for a year (×12)', `${12 * demo.transitions} / ${12 * demo.lambdaInvocations} (${cost(12 * demo.transitions)})`),
    info('transitions / Lambda invocations ($), scheduled fire that generates (1 of 3 months)', perRun(generating)),
    info('transitions / Lambda invocations ($), scheduled fire, all 3 months recorded', perRun(recorded)),
    info(`  schedule per ledger per year (12 × (1 generating + ${FIRES_PER_MONTH - 1} recorded fires))`, `${yearTransitions} / ${yearLambdas} (${cost(yearTransitions)})`),
  ];
}

/**
 * One local run of the real definition and steps against a simulator, on a fake clock: each Wait
 * lasts a few real ms but moves the clock by the seconds the definition asked for, so a 2 h task
 * costs the polls and transitions it would in AWS and finishes in a second.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { RunDefaults } from '../../functions/shared/run-plan.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { startLocalRecordStore, type LocalRecordStore } from '../record-store/local-record-store.js';
import { loadLocalDefinition } from '../runner/definition-cache.js';
import { runLocally, type LocalRunResult } from '../runner/run-locally.js';
import { DEMO_TOKEN, startSimulator, type Simulator, type SimulatorSeed, type TaskTiming } from '../simulator/index.js';
import { readCdkJsonConfig } from '../../lib/config.js';

export const BENCH_DEFAULTS: RunDefaults = {
  ledgers: ['Net Carbon Removal'],
  timeZone: 'UTC',
  pollIntervalSeconds: 5,
  maxWaitMinutes: 120,
  autoDiscoverDataPoints: true,
};

export interface BenchRun {
  result: LocalRunResult;
  /** Fake-clock seconds from start to end. */
  simulatedSeconds: number;
  transitions: number;
  lambdaInvocations: number;
  polls: number;
  /** Fake-clock ms at which a status poll first saw the task complete, and when the POST was made. */
  completeSeenAtMs: number | null;
  postedAtMs: number | null;
}

export interface BenchWorld {
  sim: Simulator;
  store: LocalRecordStore;
  clock: { ms: number };
  definition: StateMachineDefinition;
  close(): Promise<void>;
}

export async function openWorld(options: { seed?: SimulatorSeed; taskTiming?: TaskTiming; startMs?: number } = {}): Promise<BenchWorld> {
  const clock = { ms: options.startMs ?? Date.parse('2025-04-02T06:00:00Z') };
  const sim = await startSimulator({ now: () => clock.ms, taskTiming: options.taskTiming, seed: options.seed });
  const store = await startLocalRecordStore({ now: () => clock.ms });
  const definition = await loadLocalDefinition(readCdkJsonConfig());
  return { sim, store, clock, definition, close: async () => void (await Promise.all([sim.close(), store.close()])) };
}

export async function benchRun(world: BenchWorld, input: unknown, defaults: Partial<RunDefaults> = {}): Promise<BenchRun> {
  const { clock } = world;
  const startedMs = clock.ms;
  let completeSeenAtMs: number | null = null;
  let postedAtMs: number | null = null;
  const result = await runLocally({
    definition: structuredClone(world.definition),
    input,
    executionName: `bench-${startedMs}`,
    runtime: {
      tokens: new StaticTokenSource(DEMO_TOKEN),
      client: { baseUrl: world.sim.url, timeoutMs: 5_000, now: () => clock.ms, sleep: async (ms) => void (clock.ms += ms) },
      defaults: () => ({ ...BENCH_DEFAULTS, ...defaults }),
      records: () => world.store.records,
      now: () => clock.ms,
    },
    waitMs: 1,
    retryIntervalMs: 1,
    wrapTask: async (stateName, taskInput, invoke) => {
      const previousWait = (taskInput as { previousWaitSeconds?: number | null }).previousWaitSeconds;
      if ((stateName === 'GetGenerationStatus' || stateName === 'FindGeneratedBatches') && previousWait) clock.ms += previousWait * 1000;
      if (stateName === 'StartGeneration') postedAtMs = clock.ms;
      const output = await invoke();
      const phase = (output as { phase?: string } | null)?.phase;
      if (stateName === 'GetGenerationStatus' && phase === 'complete' && completeSeenAtMs === null) completeSeenAtMs = clock.ms;
      return output;
    },
  });
  const entered = result.events.filter((event) => event.type === 'StateEntered');
  return {
    result,
    simulatedSeconds: (clock.ms - startedMs) / 1000,
    // Standard workflows bill each state entered (Map iterations included): what is counted here.
    transitions: entered.length,
    lambdaInvocations: entered.filter((event) => event.state?.type === 'Task' && event.state.name !== 'NotifyFailure').length,
    polls: entered.filter((event) => event.state?.name === 'GetGenerationStatus').length,
    completeSeenAtMs,
    postedAtMs,
  };
}

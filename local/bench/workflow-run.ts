/**
 * One local run of the real definition and steps against a simulator, on a virtual clock: each Wait
 * lasts 1 real ms but moves the clock by the seconds the definition asked for (read from the
 * `previousWaitSeconds` the definition hands the task after the Wait), so a 2 h task costs the polls
 * and transitions it would in AWS and finishes in a second.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { RunDefaults } from '../../functions/shared/run-plan.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { startLocalRecordStore, type LocalRecordStore } from '../record-store/local-record-store.js';
import { loadLocalDefinition } from '../runner/definition-cache.js';
import { runLocally, type LocalRunResult } from '../runner/run-locally.js';
import { DEMO_TOKEN, startSimulator, type Simulator, type SimulatorSeed, type TaskTiming } from '../simulator/index.js';
import { VirtualClock } from './virtual-clock.js';

/** What the deployed stack runs with (cdk.json), as `npm start` does. */
export const DEPLOYED_DEFAULTS: RunDefaults = runDefaultsOf(readCdkJsonConfig());

export interface BenchRun {
  result: LocalRunResult;
  /** Virtual-clock seconds from start to end. */
  simulatedSeconds: number;
  realSeconds: number;
  /** States entered, Map iterations included: what Standard workflows bill. */
  transitions: number;
  /** Task states entered but the SNS publish: one Lambda invocation each. */
  lambdaInvocations: number;
  polls: number;
  /** Virtual-clock ms of each POST batch_generations, and of the first poll that saw its task complete. */
  postedAtMs: number[];
  completeSeenAtMs: number[];
}

export interface BenchWorld {
  sim: Simulator;
  store: LocalRecordStore;
  clock: VirtualClock;
  definition: StateMachineDefinition;
  close(): Promise<void>;
}

/** 2025-04-02 06:00 UTC: the second scheduled fire after Q1 2025, the demo seed's data. */
export const BENCH_START_MS = Date.parse('2025-04-02T06:00:00Z');

export async function openWorld(options: { seed?: SimulatorSeed; taskTiming?: TaskTiming; startMs?: number } = {}): Promise<BenchWorld> {
  const clock = new VirtualClock(options.startMs ?? BENCH_START_MS);
  const sim = await startSimulator({ now: clock.now, taskTiming: options.taskTiming, seed: options.seed });
  const store = await startLocalRecordStore({ now: clock.now });
  const definition = await loadLocalDefinition(readCdkJsonConfig());
  return { sim, store, clock, definition, close: async () => void (await Promise.all([sim.close(), store.close()])) };
}

export async function benchRun(world: BenchWorld, input: unknown, defaults: Partial<RunDefaults> = {}): Promise<BenchRun> {
  const { clock } = world;
  const startedMs = clock.ms;
  const realStart = performance.now();
  const postedAtMs: number[] = [];
  const completeSeenAtMs: number[] = [];
  const result = await runLocally({
    definition: structuredClone(world.definition),
    input,
    executionName: `bench-${startedMs}`,
    runtime: {
      tokens: new StaticTokenSource(DEMO_TOKEN),
      client: { baseUrl: world.sim.url, timeoutMs: 5_000, now: clock.now, sleep: clock.sleepWithin },
      defaults: () => ({ ...DEPLOYED_DEFAULTS, ...defaults }),
      records: () => world.store.records,
      now: clock.now,
    },
    waitMs: 1,
    retryIntervalMs: 1,
    wrapTask: async (stateName, taskInput, invoke) => {
      const waited = (taskInput as { previousWaitSeconds?: unknown }).previousWaitSeconds;
      if (typeof waited === 'number' && waited > 0) await clock.sleep(waited * 1000);
      return clock.work(async () => {
        if (stateName === 'StartGeneration') postedAtMs.push(clock.ms);
        const output = await invoke();
        if (stateName === 'GetGenerationStatus' && (output as { phase?: string } | null)?.phase === 'complete') completeSeenAtMs.push(clock.ms);
        return output;
      });
    },
  });
  const entered = result.events.filter((event) => event.type === 'StateEntered');
  return {
    result,
    simulatedSeconds: (clock.ms - startedMs) / 1000,
    realSeconds: (performance.now() - realStart) / 1000,
    transitions: entered.length,
    lambdaInvocations: entered.filter((event) => event.state?.type === 'Task' && event.state.name !== 'NotifyFailure').length,
    polls: entered.filter((event) => event.state?.name === 'GetGenerationStatus').length,
    postedAtMs,
    completeSeenAtMs,
  };
}

/** The simulator set-up every simulator-backed test file shares: one server per file, fresh state per test. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../local/simulator/index.js';

export interface SimulatorHooks {
  /** Gets the started simulator (its URL, faults, counts). */
  onStart(sim: Simulator): void;
  /** Runs before each reset, e.g. to put a fake clock back, since the reset reads it. */
  beforeReset?: () => void;
}

/** Starts a simulator on 127.0.0.1:0 before the file's tests, resets it before each, closes it after. */
export function useSimulator(options: SimulatorOptions, hooks: SimulatorHooks): void {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator(options);
    hooks.onStart(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(() => {
    hooks.beforeReset?.();
    sim?.reset();
  });
}

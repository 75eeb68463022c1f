/** Every poll in the definition is the one loop buildPollLoop makes: no copy of it anywhere. */
import { describe, expect, it } from 'vitest';
import { workflowDefinition } from '../../support/harness.js';

type State = { Type: string; Next?: string; Default?: string; SecondsPath?: string; Parameters?: Record<string, unknown>; ResultPath?: string; ItemProcessor?: Machine; Iterator?: Machine };
type Machine = { States: Record<string, State> };

/** Every state of the machine and of its Maps' processors, by name. */
function allStates(machine: Machine): Record<string, State> {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    states[name] = state;
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) Object.assign(states, allStates(inner));
  }
  return states;
}

describe('the poll loops', () => {
  const states = allStates(workflowDefinition() as unknown as Machine);
  const waits = Object.entries(states).filter(([, state]) => state.Type === 'Wait');

  it('are the generation task poll, the ledger watch and the submission poll, and nothing else waits', () => {
    expect(waits.map(([name]) => name).sort()).toEqual(['WaitForBatches', 'WaitForGeneration', 'WaitForSubmission']);
  });

  it.each(['WaitForBatches', 'WaitForGeneration', 'WaitForSubmission'])('%s: first wait → Wait → poll → Choice back to the Wait, the poll saying each next wait', (waitName) => {
    const wait = states[waitName] as State;
    const poll = states[wait.Next ?? ''] as State;
    const choice = states[poll.Next ?? ''] as State;
    expect(poll.Type).toBe('Task');
    expect(choice.Type).toBe('Choice');
    expect(choice.Default).toBe(waitName);
    // The poll writes the next wait where the Wait reads it.
    expect(wait.SecondsPath).toBe(`${poll.ResultPath}.nextWaitSeconds`);
    const starts = Object.values(states).filter((state) => state.Type === 'Pass' && state.Next === waitName);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.ResultPath).toBe(poll.ResultPath);
    expect(starts[0]?.Parameters?.['nextWaitSeconds.$']).toBe('$.plan.pollIntervalSeconds');
  });
});

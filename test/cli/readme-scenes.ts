/**
 * The operator commands as the README shows them, each against the fake Step Functions with a
 * recorded execution, so their output is the commands' own and the same on every run.
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { cli } from '../../cli/main.js';
import { executionName } from '../../functions/shared/execution-name.js';
import { fakeStepFunctions, operatorAws, replay, serveRecentExecutions, sfn, SM } from './stepfunctions.js';
import { recorded } from './support.js';

export interface Scene {
  args: string[];
  serve(): void;
}

const NET = (month: string): string => executionName('manual', ['Net Carbon Removal'], month);

export const SCENES: Scene[] = [
  {
    args: ['start', '--month', '2025-03', '--follow'],
    serve: () => {
      sfn.on(StartExecutionCommand).resolves({});
      replay(recorded('success'), 'SUCCEEDED');
    },
  },
  {
    args: ['start', '--month', '2025-03'],
    serve: () => {
      sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
      sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date('2025-04-03T09:12:01Z') });
    },
  },
  { args: ['backfill', '--from', '2025-01', '--to', '2025-03'], serve: () => fakeStepFunctions([], { [NET('2025-01')]: 'SUCCEEDED' }) },
  // The recorded history is served under whichever name is followed.
  { args: ['follow', NET('2025-02')], serve: () => replay(recorded('failure'), 'FAILED') },
  { args: ['history', '--limit', '3'], serve: serveRecentExecutions },
];

/** `$ npx batch-autopilot …` and what it printed, stdout and stderr in the order they came, as a terminal shows them. */
export async function play(scene: Scene): Promise<string> {
  sfn.reset();
  scene.serve();
  let text = `$ npx batch-autopilot ${scene.args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ')}\n`;
  const write = (chunk: string): void => {
    text += chunk;
  };
  await cli(scene.args, { stdout: write, stderr: write, env: { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }, interactive: false }, operatorAws);
  return text;
}

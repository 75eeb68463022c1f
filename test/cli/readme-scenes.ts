/**
 * The operator commands as the README shows them, each against the fake Step Functions with a
 * recorded execution (or the mocked records table), so their output is the commands' own and the
 * same on every run.
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { cli } from '../../cli/main.js';
import { executionName } from '../../functions/shared/execution-name.js';
import { DEMO_TOKEN, startSimulator } from '../../local/simulator/index.js';
import { ddb, DEPLOYED_QUARTERS, DEPLOYED_RECORDS, dynamo, identity, serveRecords, serveResolve, sts, TABLE } from './aws-records.js';
import { fakeStepFunctions, operatorAws, replay, serveRecentExecutions, sfn, SM } from './stepfunctions.js';
import { recorded } from './support.js';

export interface Scene {
  args: string[];
  serve(): void;
  /** Mangrove (the simulator) to look ledger names up in, with MANGROVE_API_TOKEN set, as the `$` line shows. */
  names?: boolean;
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
  { args: ['status', '--ledger', 'Net Carbon Removal', '--ledger', 'Biochar Produced'], serve: () => serveRecords(DEPLOYED_RECORDS, DEPLOYED_QUARTERS), names: true },
  { args: ['resolve', 'generated', '--ledger', 'lgr_netremoval01', '--month', '2026-08'], serve: serveResolve },
];

/** `$ npx batch-autopilot …` and what it printed, stdout and stderr in the order they came, as a terminal shows them. */
export async function play(scene: Scene): Promise<string> {
  for (const mock of [sfn, ddb, identity]) mock.reset();
  scene.serve();
  const mangrove = scene.names ? await startSimulator() : undefined;
  const shown = scene.args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ');
  let text = `$ ${mangrove ? 'MANGROVE_API_TOKEN=… ' : ''}npx batch-autopilot ${shown}\n`;
  const write = (chunk: string): void => {
    text += chunk;
  };
  // The deployment as cdk-outputs.json would name it; the simulator stands in for Mangrove.
  const env = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM, BATCH_AUTOPILOT_TABLE: TABLE, ...(mangrove ? { MANGROVE_API_TOKEN: DEMO_TOKEN, MANGROVE_API_URL: mangrove.url } : {}) };
  try {
    await cli(scene.args, { stdout: write, stderr: write, env, interactive: false }, { ...operatorAws, dynamoFor: () => dynamo, stsFor: () => sts });
  } finally {
    await mangrove?.close();
  }
  return text;
}

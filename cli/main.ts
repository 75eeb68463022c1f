/** The operator CLI's dispatcher; bin/cli.ts is only its process wrapper, so tests call this directly. */
import { InvalidInputError } from '../functions/shared/errors.js';
import { defaultAwsDeps, describeAwsError, OperatorError, resolveStateMachineArn, type AwsDeps } from './aws.js';
import { BACKFILL_USAGE, backfillCommand } from './commands/backfill.js';
import { UsageError } from './execution-input.js';
import { FOLLOW_USAGE, followCommand } from './commands/follow.js';
import { HISTORY_USAGE, historyCommand } from './commands/history.js';
import { RUN_USAGE, runCommand, type CommandIo } from './commands/run.js';
import { START_USAGE, startCommand } from './commands/start.js';

const USAGE = `Usage: batch-autopilot <command> [options]

On this machine (embedded simulator, or Mangrove with MANGROVE_API_TOKEN):
  run        run the whole workflow locally

On the deployed stack (AWS credentials; --state-machine-arn, $BATCH_AUTOPILOT_STATE_MACHINE_ARN or cdk-outputs.json):
  start      start one month now
  backfill   one execution per month over a range
  follow     watch an execution step by step
  history    recent executions and their outcomes

Each command takes --help.`;

const COMMANDS: Record<string, { run: (args: string[], io: CommandIo, aws: AwsDeps) => Promise<number>; usage: string }> = {
  run: { run: (args, io) => runCommand(args, io), usage: RUN_USAGE },
  start: { run: startCommand, usage: START_USAGE },
  backfill: { run: backfillCommand, usage: BACKFILL_USAGE },
  follow: { run: followCommand, usage: FOLLOW_USAGE },
  history: { run: historyCommand, usage: HISTORY_USAGE },
};

/** Returns the exit code: 0 succeeded, 1 the run failed, 2 bad usage, config or AWS setup. */
export async function cli(argv: string[], io: CommandIo, aws: AwsDeps = defaultAwsDeps): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`batch-autopilot: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await command.run(rest, io, aws);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isUsageError(error)) {
      io.stderr(`batch-autopilot: ${message}\n`);
      return 2;
    }
    const awsProblem = describeAwsError(error, stateMachineArnOf(rest, io.env));
    if (awsProblem) {
      io.stderr(`batch-autopilot: ${awsProblem}\n`);
      return 2;
    }
    io.stderr(`batch-autopilot: ${message}\n`);
    return 1;
  }
}

/** Errors that mean "fix how you called it" (exit 2) rather than "the run failed" (exit 1). */
function isUsageError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof OperatorError ||
    error instanceof InvalidInputError ||
    (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') === true
  );
}

function stateMachineArnOf(args: string[], env: NodeJS.ProcessEnv): string {
  const flag = args.indexOf('--state-machine-arn');
  try {
    return resolveStateMachineArn(flag >= 0 ? args[flag + 1] : undefined, env);
  } catch {
    return 'the state machine';
  }
}

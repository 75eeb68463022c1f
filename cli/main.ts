/**
 * The operator CLI: one commander program, built per call so tests run it in-process (bin/cli.ts is
 * only the process wrapper). Every mistake in how it was called ends in one line and exit 2:
 * `batch-autopilot: <flag>: <what was wrong>, got <value>; see batch-autopilot <command> --help`.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { InvalidInputError } from '../functions/shared/errors.js';
import { ConfigError } from '../lib/config.js';
import { defaultAwsDeps, describeAwsError, type AwsDeps } from './aws.js';
import { backfillCommand } from './commands/backfill.js';
import { followCommand } from './commands/follow.js';
import { historyCommand } from './commands/history.js';
import { resolveCommand } from './commands/resolve.js';
import { runCommand } from './commands/run.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { submitReportCommand } from './commands/submit-report.js';
import { AwsSetupError, UsageError } from './errors.js';
import { paintFor, type CommandContext, type CommandIo } from './io.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const OVERVIEW = `
start, backfill, follow, history and submit-report --deployed use your AWS credentials and find the
state machine from --state-machine-arn, $BATCH_AUTOPILOT_STATE_MACHINE_ARN or cdk-outputs.json.
status and resolve read the ledger-month records: the deployed table (--table, $BATCH_AUTOPILOT_TABLE,
cdk-outputs.json) or a local run's --state-dir. Defaults (ledgers, time zone, data point discovery,
polling, reports) come from cdk.json "batchAutopilot", as deployed.

Exit codes: 0 succeeded, 1 the run failed, 2 bad usage, configuration or AWS setup.`;

/** Returns the exit code: 0 succeeded, 1 the run failed, 2 bad usage, configuration or AWS setup. */
export async function cli(argv: string[], io: CommandIo, aws: AwsDeps = defaultAwsDeps): Promise<number> {
  const paint = paintFor(io);
  let exitCode = 0;
  let current: string | undefined;
  let stateMachineArn = 'the state machine';
  const context: CommandContext = {
    io,
    aws,
    paint,
    exit: (code) => {
      exitCode = code;
    },
    target: (arn) => {
      stateMachineArn = arn;
    },
  };

  const program = configure(new Command('batch-autopilot'), io)
    .description('Unattended monthly carbon-removal batch generation for Mangrove ledgers.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'print help for a command')
    .addHelpText('after', OVERVIEW)
    .hook('preSubcommand', (_, subcommand) => {
      current = subcommand.name();
    });
  for (const define of [runCommand, startCommand, backfillCommand, submitReportCommand, followCommand, historyCommand, statusCommand, resolveCommand]) {
    program.addCommand(configure(define(context), io));
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
      // `commander.help` with a non-zero code: no command was given, and the help went to stderr.
      return error.exitCode === 0 ? 0 : 2;
    }
    const { line, code } = describeError(error, current, stateMachineArn);
    io.stderr(`${paint.red('batch-autopilot:')} ${line}\n`);
    return code;
  }
}

function configure(command: Command, io: CommandIo): Command {
  return command
    .exitOverride()
    .helpOption('-h, --help', 'print this help')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // main.ts says it in one line, its own way.
      outputError: () => {},
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
    });
}

function describeError(error: unknown, command: string | undefined, stateMachineArn: string): { line: string; code: number } {
  const seeHelp = `; see batch-autopilot ${command ? `${command} ` : ''}--help`;
  if (error instanceof UsageError) return { line: `${error.message}${seeHelp}`, code: 2 };
  if (error instanceof CommanderError) return { line: `${commanderProblem(error, command)}${seeHelp}`, code: 2 };
  if (error instanceof InvalidInputError) return { line: `${error.issues.join('; ')}${seeHelp}`, code: 2 };
  if (error instanceof AwsSetupError) return { line: error.message, code: 2 };
  if (error instanceof ConfigError) return { line: `cdk.json: "batchAutopilot" is invalid: ${error.problems.join('; ')}`, code: 2 };
  const awsProblem = describeAwsError(error, stateMachineArn);
  if (awsProblem) return { line: awsProblem, code: 2 };
  return { line: error instanceof Error ? error.message : String(error), code: 1 };
}

const MISSING_ARGUMENT: Record<string, string> = { follow: 'an execution ARN or name', resolve: 'generated or not-generated' };

/** Commander's own parse errors, in the same shape as ours. */
function commanderProblem(error: CommanderError, command: string | undefined): string {
  const quotedName = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const suggestion = /\(Did you mean (.+)\?\)/.exec(error.message)?.[1];
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
  switch (error.code) {
    case 'commander.unknownOption':
      return `${quotedName}: not an option of ${command ?? 'batch-autopilot'}${hint}`;
    case 'commander.unknownCommand':
      return `${quotedName}: not a command${hint}`;
    case 'commander.optionMissingArgument': {
      const [flag, value] = quotedName.split(' ');
      return `${flag}: expected a value ${value ?? ''} after it, got nothing`.replace('  ', ' ');
    }
    case 'commander.missingArgument':
      return `<${quotedName}>: expected ${MISSING_ARGUMENT[command ?? ''] ?? 'a value'}, got nothing`;
    case 'commander.excessArguments': {
      const [, expected = '0', got = '?'] = /Expected (\d+) arguments? but got (\d+)/.exec(error.message) ?? [];
      return `${command ?? 'batch-autopilot'}: expected ${expected === '0' ? 'no arguments, only flags' : `${expected} argument(s)`}, got ${got}`;
    }
    default:
      return error.message.replace(/^error: /, '').replaceAll('\n', ' ');
  }
}


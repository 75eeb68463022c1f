/**
 * `batch-autopilot submit-report --quarter 2025-Q1`: one quarter's report, nothing generated. On this
 * machine (as `run`), or on the deployed state machine under a name that makes a repeat harmless.
 */
import { Command, Option } from 'commander';
import { executionName } from '../../functions/shared/execution-name.js';
import type { ExecutionInput, RunDefaults, RunPlan } from '../../functions/shared/run-plan.js';
import { readCdkJsonConfig, runDefaultsOf, type BatchAutopilotConfig } from '../../lib/config.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { addLocalRunFlags, LOCAL_RUN_ENVIRONMENT, runOnThisMachine, type LocalRunFlags } from '../local-run.js';
import { checkEveryOption, checkPlan, executionInputFromFlags, once, quarter, reportOption, stateMachineOption } from '../options.js';
import { DEFAULT_FOLLOW_POLL_SECONDS } from './follow.js';
import { startExecution, timestampSuffix } from './start.js';

interface SubmitReportOptions extends LocalRunFlags {
  quarter?: string;
  report?: string;
  dryRun?: boolean;
  deployed?: boolean;
  stateMachineArn?: string;
  follow?: boolean;
  pollInterval?: number;
}

/** Flags that mean something only on this machine, and only on the deployed stack. */
const LOCAL_ONLY = [
  ['apiUrl', '--api-url'],
  ['authScheme', '--auth-scheme'],
  ['stateDir', '--state-dir'],
  ['showAlert', '--show-alert'],
] as const;
const DEPLOYED_ONLY = [
  ['follow', '--follow'],
  ['pollInterval', '--poll-interval'],
] as const;

const DEMO_NOTE = [
  'The demo starts with no ledger-month records, so no quarter is complete in it and nothing is submitted.',
  'To see a submission: "npm start -- --submit-report" generates 2025-Q1 and submits it in one run; or run the',
  'quarter against Mangrove (--api-url, MANGROVE_API_TOKEN) with a --state-dir, then submit-report with the same.',
].join('\n');

export function submitReportCommand(context: CommandContext): Command {
  const command = new Command('submit-report')
    .summary('submit one quarter\u2019s report to the registry (cannot be undone), on this machine or the deployed stack')
    .description(
      'Add the quarter\u2019s batches to its draft report and submit it to the registry, once every month of the quarter is generated for the report\u2019s ledgers (their records). Nothing is generated. ' +
        'Runs the whole workflow on this machine, like "run"; with --deployed (or --state-machine-arn) it starts the deployed state machine as manual-<ledgers>-<hash>-<YYYY-Qn>-<timestamp> instead: a new name for each request, since the quarter\u2019s record, not the name, keeps it from being submitted twice (a request that found the report being submitted elsewhere can be made again).',
    )
    .addOption(new Option('--quarter <YYYY-Qn>', 'the quarter whose report to submit, e.g. 2025-Q1 (required)').argParser(once('--quarter', quarter('--quarter'))))
    .addOption(reportOption())
    .option('--dry-run', 'show the report, the batches it would add and what it holds; change and submit nothing');
  addLocalRunFlags(command, 'print one JSON summary on stdout (progress goes to stderr); with --deployed, the start outcome (without --follow)')
    .option('--deployed', 'start the deployed state machine (found from $BATCH_AUTOPILOT_STATE_MACHINE_ARN, else cdk-outputs.json)')
    .addOption(stateMachineOption())
    .option('--follow', 'with --deployed: follow the execution to its end (exit 1 if it does not succeed)')
    .addOption(checkEveryOption(DEFAULT_FOLLOW_POLL_SECONDS))
    .addHelpText(
      'after',
      `
Submitting a report to the registry cannot be undone. A quarter is submitted once: its record (and
the report's status in Mangrove) is read first, and a quarter already submitted is not sent again.
--dry-run shows the report, the batches the submission would add and the ones it holds, and sends
nothing. Locally, without --api-url or a token, the embedded demo has no records: no quarter is
complete in it.

${LOCAL_RUN_ENVIRONMENT}
Exit codes: 0 succeeded (also "already submitted"), 1 the run failed (e.g. the quarter is not complete
or its report is not found), 2 bad usage, configuration or AWS setup.`,
    )
    .action(async (options: SubmitReportOptions) => context.exit(await submitReport(options, context)));
  return command;
}

export interface QuarterRequest {
  config: BatchAutopilotConfig;
  input: ExecutionInput;
  plan: RunPlan;
  defaults: RunDefaults;
  /**
   * The execution name on the deployed state machine: the report's ledgers, the quarter and the time.
   * New each time: the quarter's record keeps it from being submitted twice, and a request that ended
   * without submitting (the report was being submitted elsewhere) must be possible again.
   */
  baseName: string;
}

/** The input and the name for one quarter, judged as ResolveRun will judge it. */
export function quarterRequest(flags: Pick<SubmitReportOptions, 'quarter' | 'report' | 'dryRun'>, nowMs: number): QuarterRequest {
  if (flags.quarter === undefined) throw new UsageError('--quarter', 'expected the quarter whose report to submit, as YYYY-Qn (e.g. 2025-Q1)', '');
  const config = readCdkJsonConfig();
  const defaults = runDefaultsOf(config);
  const runFlags = { quarter: flags.quarter, report: flags.report, dryRun: flags.dryRun };
  // Only what the request is: the window, the ledgers and the report's defaults are the deployment's.
  const { source: _manual, ...input } = executionInputFromFlags(runFlags);
  const plan = checkPlan(input, defaults, nowMs, runFlags);
  const kind = flags.dryRun ? 'dryrun' : 'manual';
  return { config, input, plan, defaults, baseName: executionName(kind, plan.submission.ledgers, flags.quarter, timestampSuffix(nowMs)) };
}

async function submitReport(options: SubmitReportOptions, context: CommandContext): Promise<number> {
  const deployed = options.deployed === true || options.stateMachineArn !== undefined;
  for (const [field, flag] of deployed ? LOCAL_ONLY : DEPLOYED_ONLY) {
    if (options[field] === undefined) continue;
    throw new UsageError(
      flag,
      deployed
        ? 'only for a run on this machine; the deployed stack uses its own Mangrove, token and records'
        : 'only with --deployed (or --state-machine-arn); a run on this machine is shown to its end anyway',
    );
  }
  if (options.pollInterval !== undefined && !options.follow) throw new UsageError('--poll-interval', 'only means something with --follow');
  // Every flag is judged before the state machine is looked for, Mangrove asked or AWS called.
  const request = quarterRequest(options, context.aws.now());

  if (!deployed) {
    return runOnThisMachine({ command: 'submit-report', ...request, demoNote: DEMO_NOTE }, options, context);
  }
  return startExecution(request, options, context);
}

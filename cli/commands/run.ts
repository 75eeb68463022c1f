/**
 * `batch-autopilot run`: the whole workflow on this machine, with the defaults the stack deploys
 * (cdk.json). With no API URL and no token it runs against the embedded simulator (the demo
 * project); with them, against Mangrove itself.
 */
import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { loadLocalDefinition } from '../../local/runner/definition-cache.js';
import { runLocally, type Alert } from '../../local/runner/run-locally.js';
import { DEMO_TASK_TIMING, DEMO_TOKEN, DEMO_WAIT_MS, startSimulator, type Simulator } from '../../local/simulator/index.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { checkMangrove, apiUrl, mangroveTarget, requireToken } from '../mangrove.js';
import { addRunFlags, checkPlan, choice, executionInputFromFlags, inFlagTerms, month, once, stateDirOption, type RunFlags } from '../options.js';
import { createProgressView } from '../report/progress-view.js';
import { retryPlanner } from '../report/retries.js';
import { buildRunReport, renderRunReport } from '../report/run-report.js';
import { DEFAULT_STATE_DIR, openStateRecords, type StateRecords } from '../state-dir.js';
import { startLocalRecordStore } from '../../local/record-store/local-record-store.js';

const DEMO_RETRY_MS = 200;

interface RunOptions extends RunFlags {
  apiUrl?: string;
  authScheme?: 'bearer' | 'raw';
  json?: boolean;
  showAlert?: boolean;
  stateDir?: string;
}

export function runCommand(context: CommandContext): Command {
  const command = new Command('run')
    .summary('run the workflow on this machine (embedded simulator, or Mangrove with MANGROVE_API_TOKEN)')
    .description('Run the whole workflow on this machine: the deployed state machine definition in a local interpreter.')
    .addOption(new Option('--month <YYYY-MM>', 'one calendar month (none of --month/--from/--to: the previous month)').argParser(once('--month', month('--month'))))
    .addOption(new Option('--from <YYYY-MM>', 'first month of a range (with --to; at most 12 months)').argParser(once('--from', month('--from'))))
    .addOption(new Option('--to <YYYY-MM>', 'last month of the range').argParser(once('--to', month('--to'))));
  addRunFlags(command, true)
    .addOption(new Option('--api-url <url>', 'Mangrove API base URL (default: the embedded simulator; with MANGROVE_API_TOKEN, cdk.json "apiBaseUrl")').argParser(once('--api-url', apiUrl('--api-url'))))
    .addOption(new Option('--auth-scheme <scheme>', 'bearer (Authorization: Bearer <token>) or raw (default: cdk.json "authScheme")').argParser(once('--auth-scheme', choice('--auth-scheme', ['bearer', 'raw'] as const))))
    .addOption(stateDirOption('where the ledger-month records are kept between runs, per Mangrove URL (default .batch-autopilot; the embedded demo keeps them in memory)'))
    .option('--json', 'print one JSON summary on stdout (progress goes to stderr)')
    .option('--show-alert', 'print the alert a deployed run would publish, if the run fails')
    .addHelpText(
      'after',
      `
Environment: MANGROVE_API_TOKEN (never printed), MANGROVE_API_URL (as --api-url).
Exit codes: 0 succeeded (also "nothing to generate" and "already generated"), 1 the run failed, 2 bad usage or configuration.`,
    )
    .action(async (options: RunOptions) => context.exit(await run(options, context)));
  return command;
}

async function run(options: RunOptions, context: CommandContext): Promise<number> {
  const { io, paint } = context;
  const config = readCdkJsonConfig();
  const defaults = runDefaultsOf(config);
  const input = executionInputFromFlags(options);
  const plan = checkPlan(input, defaults, context.aws.now(), options);
  const found = mangroveTarget(options, io.env, config);
  const target = found ? { ...found, token: requireToken(found) } : undefined;
  // A fresh demo project each time: records kept from an earlier one would speak of batches it never had.
  if (!target && options.stateDir !== undefined) {
    throw new UsageError('--state-dir', 'the embedded demo starts afresh each time and keeps its records in memory; give --api-url (with MANGROVE_API_TOKEN) to keep records', options.stateDir);
  }

  if (target) await checkMangrove(target, context.aws.sleep);
  let simulator: Simulator | undefined;
  let store: StateRecords | undefined;
  const say = options.json ? io.stderr : io.stdout;
  try {
    if (target) {
      // Kept between runs, per Mangrove URL: a second run of a month finds it generated on its record.
      store = await openStateRecords(options.stateDir ?? DEFAULT_STATE_DIR, target.baseUrl, { flag: '--state-dir', command: 'run', fallback: true, warn: io.stderr });
    } else {
      simulator = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
      const memory = await startLocalRecordStore();
      store = { records: memory.records, where: 'in memory', durable: false, close: () => memory.close() };
    }
    const { records } = store;
    const baseUrl = simulator ? simulator.url : (target?.baseUrl as string);
    say(`Batch Autopilot: local run against ${simulator ? `the embedded Mangrove simulator (${baseUrl}, demo project)` : `Mangrove at ${baseUrl}, records in ${store.where}`}\n`);

    // The deployed definition; its Lambdas' settings play no part, the steps run in-process with the runtime below.
    const definition = await loadLocalDefinition(config);
    const executionName = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const view = createProgressView({
      write: say,
      interactive: io.interactive && !options.json,
      multipleLedgers: () => plan.ledgers.length > 1,
      paint,
      terms: inFlagTerms,
      retries: retryPlanner(definition, simulator ? DEMO_RETRY_MS : undefined),
      alertLine: `alert kept local, not published${options.showAlert ? '' : ' (--show-alert prints it)'}`,
    });
    const started = Date.now();
    const alerts: Alert[] = [];
    const result = await runLocally({
      definition,
      input,
      executionName,
      runtime: {
        tokens: new StaticTokenSource(simulator ? DEMO_TOKEN : (target?.token as string)),
        client: { baseUrl, authScheme: target?.authScheme ?? config.authScheme },
        defaults: () => defaults,
        records: () => records,
      },
      waitMs: simulator ? DEMO_WAIT_MS : context.aws.localWaitMs,
      retryIntervalMs: simulator ? DEMO_RETRY_MS : undefined,
      onEvent: (event) => view.onEvent(event),
      onAlert: (alert) => alerts.push(alert),
    });
    view.finish();

    const report =
      result.status === 'SUCCEEDED'
        ? buildRunReport('succeeded', result.events)
        : buildRunReport('failed', result.events, { error: result.error, cause: result.cause });
    if (options.showAlert) for (const alert of alerts) io.stderr(formatAlert(alert));
    const rendered = renderRunReport(report, Date.now() - started, { paint, terms: inFlagTerms });
    if (options.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      io.stderr(`${rendered.split('\n').at(-1)}\n`);
    } else io.stdout(`${rendered}\n`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await store?.close();
    await simulator?.close();
  }
}

function formatAlert(alert: Alert): string {
  const rule = '-'.repeat(72);
  return `\n${rule}\nALERT (a deployed run publishes this to the SNS alert topic)\nSubject: ${alert.subject}\n\n${alert.message}\n${rule}\n`;
}

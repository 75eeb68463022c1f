/**
 * The whole workflow on this machine, as `run` and `submit-report` both run it: the deployed
 * definition in a local interpreter, the steps in-process, against the embedded simulator (no API URL,
 * no token) or Mangrove itself with the records of the state directory.
 */
import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import type { ExecutionInput, RunDefaults, RunPlan } from '../functions/shared/run-plan.js';
import { StaticTokenSource } from '../functions/shared/token-source.js';
import type { BatchAutopilotConfig } from '../lib/config.js';
import { loadLocalDefinition } from '../local/runner/definition-cache.js';
import { runLocally, type Alert } from '../local/runner/run-locally.js';
import { startLocalRecordStore } from '../local/record-store/local-record-store.js';
import { DEMO_TASK_TIMING, DEMO_TOKEN, DEMO_WAIT_MS, startSimulator, type Simulator } from '../local/simulator/index.js';
import { UsageError } from './errors.js';
import type { CommandContext } from './io.js';
import { apiUrl, checkMangrove, mangroveTarget, requireToken } from './mangrove.js';
import { choice, inFlagTerms, once, stateDirOption } from './options.js';
import { createProgressView } from './report/progress-view.js';
import { retryPlanner } from './report/retries.js';
import { buildRunReport, renderRunReport } from './report/run-report.js';
import { DEFAULT_STATE_DIR, openStateRecords, type StateRecords } from './state-dir.js';

const DEMO_RETRY_MS = 200;

/** The flags of a local run: which Mangrove, where its records are kept, how the outcome is printed. */
export interface LocalRunFlags {
  apiUrl?: string;
  authScheme?: 'bearer' | 'raw';
  stateDir?: string;
  json?: boolean;
  showAlert?: boolean;
}

export const LOCAL_RUN_ENVIRONMENT = 'Environment: MANGROVE_API_TOKEN (never printed), MANGROVE_API_URL (as --api-url).';

export function addLocalRunFlags(command: Command, json = 'print one JSON summary on stdout (progress goes to stderr)'): Command {
  return command
    .addOption(new Option('--api-url <url>', 'Mangrove API base URL (default: the embedded simulator; with MANGROVE_API_TOKEN, cdk.json "apiBaseUrl")').argParser(once('--api-url', apiUrl('--api-url'))))
    .addOption(new Option('--auth-scheme <scheme>', 'bearer (Authorization: Bearer <token>) or raw (default: cdk.json "authScheme")').argParser(once('--auth-scheme', choice('--auth-scheme', ['bearer', 'raw'] as const))))
    .addOption(stateDirOption('where the ledger-month records are kept between runs, per Mangrove URL (default .batch-autopilot; the embedded demo keeps them in memory)'))
    .option('--json', json)
    .option('--show-alert', 'print the alert a deployed run would publish, if the run fails');
}

export interface LocalRun {
  /** The command, for the state directory's lock ("in use by batch-autopilot run"). */
  command: string;
  config: BatchAutopilotConfig;
  defaults: RunDefaults;
  input: ExecutionInput;
  plan: RunPlan;
  /** A line after the header when the run is against the embedded demo (what the demo can and cannot show). */
  demoNote?: string;
}

/** Runs `input` to its end and prints the report; returns the exit code (0 succeeded, 1 the run failed). */
export async function runOnThisMachine(run: LocalRun, flags: LocalRunFlags, context: CommandContext): Promise<number> {
  const { io, paint } = context;
  const { config, input, plan } = run;
  const found = mangroveTarget(flags, io.env, config);
  const target = found ? { ...found, token: requireToken(found) } : undefined;
  // A fresh demo project each time: records kept from an earlier one would speak of batches it never had.
  if (!target && flags.stateDir !== undefined) {
    throw new UsageError('--state-dir', 'the embedded demo starts afresh each time and keeps its records in memory; give --api-url (with MANGROVE_API_TOKEN) to keep records', flags.stateDir);
  }

  if (target) await checkMangrove(target, context.aws.sleep);
  let simulator: Simulator | undefined;
  let store: StateRecords | undefined;
  const say = flags.json ? io.stderr : io.stdout;
  try {
    if (target) {
      // Kept between runs, per Mangrove URL: a second run of a month finds it generated on its record.
      store = await openStateRecords(flags.stateDir ?? DEFAULT_STATE_DIR, target.baseUrl, { flag: '--state-dir', command: run.command, fallback: true, warn: io.stderr });
    } else {
      simulator = await startSimulator({ taskTiming: DEMO_TASK_TIMING });
      const memory = await startLocalRecordStore();
      store = { records: memory.records, where: 'in memory', durable: false, close: () => memory.close() };
    }
    const { records } = store;
    const baseUrl = simulator ? simulator.url : (target?.baseUrl as string);
    say(`Batch Autopilot: local run against ${simulator ? `the embedded Mangrove simulator (${baseUrl}, demo project)` : `Mangrove at ${baseUrl}, records in ${store.where}`}\n`);
    if (simulator && run.demoNote) say(`${run.demoNote}\n`);

    // The deployed definition; its Lambdas' settings play no part, the steps run in-process with the runtime below.
    const definition = await loadLocalDefinition(config);
    const executionName = `local-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const view = createProgressView({
      write: say,
      interactive: io.interactive && !flags.json,
      multipleLedgers: () => plan.ledgers.length > 1,
      paint,
      terms: inFlagTerms,
      retries: retryPlanner(definition, simulator ? DEMO_RETRY_MS : undefined),
      alertLine: `alert kept local, not published${flags.showAlert ? '' : ' (--show-alert prints it)'}`,
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
        defaults: () => run.defaults,
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
    if (flags.showAlert) for (const alert of alerts) io.stderr(formatAlert(alert));
    const rendered = renderRunReport(report, Date.now() - started, { paint, terms: inFlagTerms });
    if (flags.json) {
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

/**
 * `batch-autopilot status`: the ledger × month grid of the records, locally (the state directory) or
 * of the deployed stack (its LedgerMonths table). Records are kept by ledger id; names are looked up
 * in Mangrove when there is a token to ask with.
 */
import { Command, Option } from 'commander';
import { addMonths, dayOfMonth, isPastGenerateBy, monthOf } from '../../functions/shared/calendar.js';
import { DEFAULT_GENERATE_BY_DAY } from '../../functions/shared/limits.js';
import { quarterOfMonth } from '../../functions/shared/reports.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { apiUrl, mangroveTarget, resolveLedgerRefs } from '../mangrove.js';
import { nonEmpty, once, repeatable, stateDirOption, tableOption, wholeNumber } from '../options.js';
import { asAwsSetupError, openRecords, resolveRecordsSource, type RecordsSource } from '../records-source.js';
import { quarterIsOver, quarterStatus, renderQuarterStatus, type QuarterStatus } from '../report/quarter-status.js';
import { renderStatus, statusCell, type Calendar, type StatusRow } from '../report/status-grid.js';

const DEFAULT_MONTHS = 6;

interface StatusOptions {
  ledger?: string[];
  months?: number;
  json?: boolean;
  stateDir?: string;
  table?: string;
  apiUrl?: string;
}

export function statusCommand(context: CommandContext): Command {
  return new Command('status')
    .summary('the ledger × month grid of the records (generated, waiting for data, overdue, in doubt), and each quarter\u2019s report')
    .description(
      'What the ledger-month records say for the last months, the current one shown as "not due", and under them whether each quarter those months touch has had its report submitted: from the deployed LedgerMonths table (--table, $BATCH_AUTOPILOT_TABLE or cdk-outputs.json), or from a local run\u2019s --state-dir.',
    )
    .addOption(new Option('--ledger <id|name>', 'ledger to show, lgr_… or exact name (repeatable; default: cdk.json "ledgers")').argParser(repeatable(nonEmpty('--ledger', 'a ledger id (lgr_…) or exact name'))))
    .addOption(new Option('--months <n>', `how many months up to this one (default ${DEFAULT_MONTHS})`).argParser(once('--months', wholeNumber('--months', { min: 1, max: 36 }))))
    .option('--json', 'print the grid as JSON')
    .addOption(stateDirOption('a local run\u2019s state directory (default .batch-autopilot, when nothing is deployed)'))
    .addOption(tableOption())
    .addOption(new Option('--api-url <url>', 'the Mangrove whose ledger names to look up and, locally, whose records (default: MANGROVE_API_URL, else with MANGROVE_API_TOKEN cdk.json "apiBaseUrl")').argParser(once('--api-url', apiUrl('--api-url'))))
    .addHelpText('after', '\nEnvironment: MANGROVE_API_TOKEN (never printed) to look up ledger names; BATCH_AUTOPILOT_TABLE (as --table).')
    .action(async (options: StatusOptions) => context.exit(await status(options, context)));
}

async function status(options: StatusOptions, context: CommandContext): Promise<number> {
  const { io, aws } = context;
  const config = readCdkJsonConfig();
  // The deployment's own view: the ledgers it reconciles, its months (time zone), its generate-by day.
  const defaults = runDefaultsOf(config);
  const mangrove = mangroveTarget(options, io.env, config);
  const source = resolveRecordsSource(options, io.env, mangrove);
  const refs = [...new Set(options.ledger ?? defaults.ledgers)];
  const now = aws.now();
  const currentMonth = monthOf(now, defaults.timeZone);
  const generateByDay = defaults.generateByDay ?? DEFAULT_GENERATE_BY_DAY;
  const calendar: Calendar = {
    currentMonth,
    pastGenerateBy: (month) => isPastGenerateBy(month, now, defaults.timeZone, generateByDay),
    generateByDay,
  };
  const count = options.months ?? DEFAULT_MONTHS;
  const months = Array.from({ length: count }, (_, index) => addMonths(currentMonth, index - count + 1));

  const ledgers = await resolveLedgerRefs(refs, mangrove, aws.sleep);
  const unresolved = ledgers.filter((ledger) => ledger.id === null);
  if (unresolved.length === ledgers.length) {
    throw new UsageError('--ledger', `no ledger to show: ${unresolved.map((ledger) => `"${ledger.ref}": ${ledger.problem}`).join('; ')}`);
  }

  const opened = await openRecords(source, aws, 'status', { create: false });
  let rows: StatusRow[];
  let reports: QuarterStatus[];
  try {
    rows = [];
    for (const ledger of ledgers) {
      if (ledger.id === null) continue;
      const id = ledger.id;
      const cells = await Promise.all(months.map(async (month) => statusCell(month, month >= currentMonth ? null : await opened.records.get({ ledgerId: id, month }), calendar)));
      rows.push({ ref: ledger.ref, id, name: ledger.name, cells });
    }
    // A quarter not over cannot have been submitted: like the current month, it is not asked for.
    const quarters = [...new Set(months.map(quarterOfMonth))];
    const submissions = await opened.records.quarters();
    reports = await Promise.all(quarters.map(async (quarter) => quarterStatus(quarter, quarterIsOver(quarter, currentMonth) ? await submissions.get(quarter) : null, currentMonth)));
  } catch (error) {
    throw asAwsSetupError(error, source);
  } finally {
    await opened.close();
  }

  const today = `${currentMonth}-${String(dayOfMonth(now, defaults.timeZone)).padStart(2, '0')}`;
  if (options.json) {
    const data = {
      source: describeSource(source),
      today,
      timeZone: defaults.timeZone,
      generateByDay: calendar.generateByDay,
      months,
      ledgers: rows,
      reports,
      unresolved: unresolved.map(({ ref, problem }) => ({ ref, problem })),
    };
    io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const lines = [`Ledger-month records in ${opened.where}; today ${today} (${defaults.timeZone}), generate-by day ${calendar.generateByDay}`, '', ...renderStatus(months, rows), '', ...renderQuarterStatus(reports)];
  if (unresolved.length > 0) lines.push('', 'Not shown:', ...unresolved.map((ledger) => `  "${ledger.ref}": ${ledger.problem}`));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function describeSource(source: RecordsSource): Record<string, string> {
  return source.kind === 'table' ? { kind: 'table', tableName: source.tableName, region: source.region } : { kind: 'state-dir', dir: source.dir, apiBaseUrl: source.apiBaseUrl };
}

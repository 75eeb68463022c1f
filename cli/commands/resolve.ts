/**
 * `batch-autopilot resolve`: an operator's decision about one ledger-month — it is generated, or it
 * is not — recorded with who made it (locally the user, on AWS the caller's ARN). The way out of a
 * month in doubt (outcome unknown), and the way to mark a month done by hand.
 */
import { userInfo } from 'node:os';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Argument, Command, Option } from 'commander';
import { monthOf } from '../../functions/shared/calendar.js';
import type { LedgerMonthRecord } from '../../functions/shared/ledger-month-record.js';
import { readCdkJsonConfig } from '../../lib/config.js';
import { defaultAwsDeps, type AwsDeps } from '../aws.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { apiUrl, mangroveTarget, resolveLedgerRefs } from '../mangrove.js';
import { choice, month, nonEmpty, once, stateDirOption, tableOption } from '../options.js';
import { asAwsSetupError, openRecords, resolveRecordsSource, type RecordsSource } from '../records-source.js';
import { statusCell } from '../report/status-grid.js';

const DECISIONS = ['generated', 'not-generated'] as const;
type Decision = (typeof DECISIONS)[number];

interface ResolveOptions {
  ledger?: string;
  month?: string;
  json?: boolean;
  stateDir?: string;
  table?: string;
  apiUrl?: string;
}

export function resolveCommand(context: CommandContext): Command {
  return new Command('resolve')
    .summary('record an operator\u2019s decision for one ledger-month: generated or not-generated')
    .description(
      'Record that a ledger-month is generated (runs skip it) or not generated (the next run may generate it), with who decided. For a month whose outcome is unknown: check the ledger in Mangrove first.',
    )
    .addArgument(new Argument('<decision>', 'generated or not-generated').argParser(choice('<decision>', DECISIONS)))
    .addOption(new Option('--ledger <id|name>', 'the ledger, lgr_… or exact name (required)').argParser(once('--ledger', nonEmpty('--ledger', 'a ledger id (lgr_…) or exact name'))))
    .addOption(new Option('--month <YYYY-MM>', 'the month (required)').argParser(once('--month', month('--month'))))
    .option('--json', 'print the record before and after as JSON')
    .addOption(stateDirOption('a local run\u2019s state directory (default .batch-autopilot, when nothing is deployed)'))
    .addOption(tableOption())
    .addOption(new Option('--api-url <url>', 'the Mangrove of the ledger (names are looked up there; locally, whose records)').argParser(once('--api-url', apiUrl('--api-url'))))
    .action(async (decision: Decision, options: ResolveOptions) => context.exit(await resolve(decision, options, context)));
}

async function resolve(decision: Decision, options: ResolveOptions, context: CommandContext): Promise<number> {
  const { io, aws } = context;
  if (!options.ledger) throw new UsageError('--ledger', 'expected the ledger to decide for, lgr_… or its exact name', '');
  if (!options.month) throw new UsageError('--month', 'expected the month to decide for, as YYYY-MM', '');
  const config = readCdkJsonConfig();
  const current = monthOf(aws.now(), config.timeZone);
  // Runs only ever take months that are over; a decision about one that is not would pre-empt its data.
  if (options.month >= current) throw new UsageError('--month', `expected a month that is over (this is ${current} in ${config.timeZone})`, options.month);
  const mangrove = mangroveTarget(options, io.env, config);
  const source = resolveRecordsSource(options, io.env, mangrove);

  const [ledger] = await resolveLedgerRefs([options.ledger], mangrove, aws.sleep);
  if (!ledger?.id) throw new UsageError('--ledger', ledger?.problem ?? 'could not be resolved', options.ledger);
  const key = { ledgerId: ledger.id, month: options.month };
  const by = await whoDecides(source, aws);

  const opened = await openRecords(source, aws, 'resolve', { create: true });
  let before: LedgerMonthRecord | null;
  let after: LedgerMonthRecord | null;
  try {
    before = await opened.records.get(key);
    // `resolve` may start from any state: an operator's word ends a claim or a doubt alike.
    await opened.records.move('resolve', key, `operator:${by}`, { decision, by });
    after = await opened.records.get(key);
  } catch (error) {
    throw asAwsSetupError(error, source);
  } finally {
    await opened.close();
  }

  if (options.json) {
    io.stdout(`${JSON.stringify({ ledger: { ref: ledger.ref, id: ledger.id, name: ledger.name }, month: options.month, before, after }, null, 2)}\n`);
    return 0;
  }
  const title = `${ledger.name ? `${ledger.name} (${ledger.id})` : ledger.id} ${options.month}`;
  const lines = [`${title}, in ${opened.where}:`, `  was: ${describeRecord(options.month, before)}`, `  now: ${describeRecord(options.month, after)}`];
  if (before?.state === 'claimed' || before?.state === 'generating') lines.push(`  ${before.owner ?? 'A run'} held it; that run can no longer move this record.`);
  lines.push(decision === 'generated' ? '  Runs now skip this month.' : '  The next run that covers this month checks the ledger and may generate it.');
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/** The person behind the decision: the caller's identity on AWS, the user on this machine. */
async function whoDecides(source: RecordsSource, aws: AwsDeps): Promise<string> {
  if (source.kind === 'state-dir') return userInfo().username;
  const sts = (aws.stsFor ?? defaultAwsDeps.stsFor)(source.region);
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new Error('STS GetCallerIdentity answered without an ARN');
    return Arn;
  } catch (error) {
    throw asAwsSetupError(error, source, 'STS');
  } finally {
    sts.destroy();
  }
}

/** A record as one line, with the state's own details (what the status grid puts beneath). */
function describeRecord(month: string, record: LedgerMonthRecord | null): string {
  if (!record) return 'no record';
  // Overdue only by the record's own word (its alert went out), not by today's date.
  const cell = statusCell(month, record, { currentMonth: '9999-12', pastGenerateBy: () => false, generateByDay: 28 });
  if (record.state === 'overridden') return `overridden: ${record.decision ?? 'decided'}, by ${record.by ?? 'an operator'}, at ${record.updatedAt}`;
  const state = cell.status === 'overdue' ? 'waiting for data (overdue alert sent)' : cell.text;
  return `${state}, since ${record.updatedAt}`;
}

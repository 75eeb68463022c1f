/**
 * The quarter's submission record: one item per quarter in the ledger-month table (`pk`
 * `quarter#YYYY-Qn`) that says whether its report was submitted, is being submitted, or is in doubt.
 * Submitting to a registry cannot be undone, so a quarter is submitted once: a run claims the
 * quarter before its PATCH and its submit POST, and only evidence moves the record on, each move a
 * conditional write along SUBMISSION_TRANSITIONS.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ERROR } from './error-names.js';
import { WorkflowError } from './errors.js';
import { readJsonFields, setJsonFields, usedIn } from './ledger-month-item.js';

export const SUBMISSION_STATES = ['submitting', 'submitted', 'outcome-unknown', 'failed'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

export interface QuarterSubmission {
  /** `YYYY-Qn` */
  quarter: string;
  state: SubmissionState;
  /** The run (execution name) that holds a `submitting` quarter. */
  owner?: string;
  reportId?: string;
  reportName?: string;
  taskId?: number;
  /** When the submission was seen through: the task complete, or the report found past draft. */
  submittedAt?: string;
  /** What showed it submitted (e.g. `task 7 complete`, `report found complete`). */
  evidence?: string;
  error?: string;
  /** The batches this claim adds to the report: taken out again if Mangrove refuses the submission, so the report is as it was. */
  addedBatchIds?: string[];
  /** Until when the holder of a `submitting` quarter may still be working on it (its wait and a margin); past it, the claim is stale. */
  holdUntil?: string;
  updatedAt: string;
}

/** `@owner`: held by (or last failed in) the writing run; `submitting:stale`: held past its holder's `holdUntil`. */
type From = 'absent' | SubmissionState | 'submitting@owner' | 'failed@owner' | 'submitting:stale';

/** The only moves a quarter's record can make. The README's table is rendered from this. */
export const SUBMISSION_TRANSITIONS = {
  claim: {
    from: ['absent', 'failed', 'submitting@owner'],
    to: 'submitting',
    when: 'a run is about to add the batches to the draft report and submit it',
  },
  resume: {
    from: ['submitting@owner', 'failed@owner'],
    to: 'submitting',
    when: 'SubmitReport, right before its POST: only the run that prepared the report (a retry after its own 429 or 5xx), never over another run',
  },
  claimInDoubt: {
    from: ['absent', 'failed', 'submitting@owner', 'outcome-unknown', 'submitting:stale'],
    to: 'submitting',
    when: 'an operator\u2019s `submit-report --quarter` after a doubt (or a claim held past its `holdUntil`), once Mangrove shows the report still draft',
  },
  started: { from: ['submitting@owner'], to: 'submitting', when: 'Mangrove answered the submit POST with 202 and a task id' },
  submitted: {
    from: ['absent', 'failed', 'outcome-unknown', 'submitting'],
    to: 'submitted',
    when: 'the submission task is `complete`, or the report is found past draft (whoever held the quarter)',
  },
  failed: {
    from: ['submitting@owner'],
    to: 'failed',
    when: 'nothing was submitted (422, the report not draft, the PATCH refused) or the task `failed`; the run stays named, for its own retry',
  },
  outcomeUnknown: { from: ['submitting@owner'], to: 'outcome-unknown', when: 'the submit POST got no clear answer and the report did not show the outcome by the deadline' },
} as const satisfies Record<string, { from: readonly From[]; to: SubmissionState; when: string }>;
export type SubmissionTransition = keyof typeof SUBMISSION_TRANSITIONS;

export type SubmissionPatch = Partial<Pick<QuarterSubmission, 'reportId' | 'reportName' | 'taskId' | 'submittedAt' | 'evidence' | 'error' | 'addedBatchIds' | 'holdUntil'>>;

/** Kept as JSON strings (holdUntil is kept plain, for the stale condition). */
const JSON_FIELDS = ['reportId', 'reportName', 'taskId', 'submittedAt', 'evidence', 'error', 'addedBatchIds'] as const;

/** A move refused because the quarter was not in a state it may start from. */
export class SubmissionConflictError extends WorkflowError {
  override readonly name = ERROR.RecordConflictError;
  constructor(
    readonly transition: SubmissionTransition,
    readonly record: QuarterSubmission | null,
    why = '',
  ) {
    super(`${transition}: quarter ${record?.quarter ?? ''} is ${record ? record.state : 'not recorded'}${record?.owner ? ` (${record.owner})` : ''}, which ${transition} cannot start from${why}`, null);
  }
}

export function submissionKey(quarter: string): string {
  return `quarter#${quarter}`;
}

/** Sends one DynamoDB call through the records' error handling (LedgerMonthRecords.send). */
export type SendCommand = <T>(call: (client: DynamoDBClient, sdk: typeof import('@aws-sdk/client-dynamodb')) => Promise<T>) => Promise<T>;

export class QuarterSubmissions {
  constructor(
    private readonly send: SendCommand,
    private readonly tableName: string,
    private readonly now: () => number,
  ) {}

  async get(quarter: string): Promise<QuarterSubmission | null> {
    const { Item } = await this.send((client, { GetItemCommand }) =>
      client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: submissionKey(quarter) } }, ConsistentRead: true })),
    );
    return Item ? fromItem(Item) : null;
  }

  /**
   * Moves the quarter along `transition`; a refused move throws SubmissionConflictError with the
   * record as it is. `staleBefore` (now): a `submitting` record whose `holdUntil` is before it is stale.
   */
  async move(transition: SubmissionTransition, quarter: string, owner: string, patch: SubmissionPatch = {}, staleBefore = ''): Promise<void> {
    const { from, to } = SUBMISSION_TRANSITIONS[transition];
    const names: Record<string, string> = { '#state': 'state', '#at': 'updatedAt', '#owner': 'owner' };
    const values: Record<string, AttributeValue> = { ':to': { S: to }, ':at': { S: new Date(this.now()).toISOString() }, ':quarter': { S: quarter }, ':owner': { S: owner } };
    const sets = ['#state = :to', '#at = :at', 'quarterLabel = :quarter'];
    const removes: string[] = [];
    // A failed record keeps its run's name: that run's own retry knows the batches it added.
    if (to === 'submitting') sets.push('#owner = :owner');
    else if (to !== 'failed') removes.push('#owner');
    // A new attempt, or the evidence of a submission, leaves nothing of an earlier attempt's outcome behind.
    const stale = to === 'submitting' && transition !== 'started' ? ['error', 'taskId', 'evidence', 'submittedAt'] : to === 'submitted' ? ['error', 'holdUntil'] : [];
    for (const field of stale.filter((name) => patch[name as keyof SubmissionPatch] === undefined)) {
      names[`#${field}`] = field;
      removes.push(`#${field}`);
    }
    const { holdUntil, ...jsonPatch } = patch;
    sets.push(...setJsonFields(jsonPatch, names, values));
    // A plain string, so the stale condition can compare it with an instant.
    if (holdUntil !== undefined) {
      names['#holdUntil'] = 'holdUntil';
      values[':holdUntil'] = { S: holdUntil };
      sets.push('#holdUntil = :holdUntil');
    }
    const conditions = (from as readonly From[]).map((start, index) => {
      if (start === 'absent') return 'attribute_not_exists(pk)';
      const [state, qualifier] = start.split(/[@:]/) as [SubmissionState, string | undefined];
      values[`:from${index}`] = { S: state };
      if (qualifier === 'stale') {
        names['#holdUntil'] = 'holdUntil';
        values[':staleBefore'] = { S: staleBefore };
        return `(#state = :from${index} AND #holdUntil < :staleBefore)`;
      }
      return qualifier ? `(#state = :from${index} AND #owner = :owner)` : `#state = :from${index}`;
    });
    const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
    try {
      await this.send((client, { UpdateItemCommand }) =>
        client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { pk: { S: submissionKey(quarter) } },
            UpdateExpression: update,
            ConditionExpression: conditions.join(' OR '),
            ExpressionAttributeNames: usedIn(`${update} ${conditions.join(' OR ')}`, names),
            ExpressionAttributeValues: usedIn(`${update} ${conditions.join(' OR ')}`, values),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') throw new SubmissionConflictError(transition, await this.get(quarter));
      throw error;
    }
  }
}

function fromItem(item: Record<string, AttributeValue>): QuarterSubmission {
  const record: QuarterSubmission = { quarter: item.quarterLabel?.S ?? '', state: item.state?.S as SubmissionState, updatedAt: item.updatedAt?.S ?? '' };
  if (item.owner?.S) record.owner = item.owner.S;
  if (item.holdUntil?.S) record.holdUntil = item.holdUntil.S;
  return Object.assign(record, readJsonFields(item, JSON_FIELDS));
}

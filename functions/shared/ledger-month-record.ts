/**
 * The ledger-month record: one item per (ledger, month in the configured zone) that says whether the
 * month is generated, being generated, waiting for its data, or in doubt. Nothing lapses on a timer;
 * only evidence moves a record, and only along TRANSITIONS, each a conditional write. A run claims
 * every month it touches for every ledger its preview names, all or nothing: items in one fixed key
 * order, rolled back on the first conflict (DynamoDB and dynalite alike, no transactions needed).
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ERROR } from './error-names.js';
import { RecordStoreUnavailableError, WorkflowError } from './errors.js';
import { fromItem, recordKey, setJsonFields, toItem, usedIn, type LedgerMonth, type LedgerMonthRecord, type RecordState } from './ledger-month-item.js';
import type { QuarterSubmissions } from './quarter-submission-record.js';

export { RECORD_STATES, isGenerated, recordKey, type LedgerMonth, type LedgerMonthRecord, type RecordState } from './ledger-month-item.js';


/** Where a transition may start: no item yet, a state, a state held by the writer, or an operator's decision. */
type From = 'absent' | RecordState | `${'claimed' | 'generating' | 'outcome-unknown'}@owner` | 'overridden:generated' | 'overridden:not-generated';

interface Transition {
  from: readonly From[];
  to: RecordState;
  /** A field the transition sets and that must not be set yet: it happens once per record. */
  once?: 'overdueAlertedAt';
  /** Why it happens, for the README's transition table. */
  when: string;
}

const FREE: readonly From[] = ['absent', 'waiting-for-data', 'failed', 'overridden:not-generated'];

/** The only moves a record can make. The README's table is rendered from this. */
export const TRANSITIONS = {
  claim: { from: [...FREE, 'claimed@owner'], to: 'claimed', when: 'a run is about to check the ledger and POST (a retry of the same step re-claims)' },
  forceClaim: {
    from: [...FREE, 'claimed@owner', 'generated', 'overridden:generated'],
    to: 'claimed',
    when: 'an explicit `force` run: recorded as forced on the record',
  },
  started: { from: ['claimed@owner'], to: 'generating', when: 'Mangrove answered the POST with 202 and a task id' },
  taskComplete: {
    from: ['claimed@owner', 'generating@owner', 'outcome-unknown@owner'],
    to: 'generated',
    when: 'Mangrove reports the task `complete` (a lagging batch list cannot undo it)',
  },
  batchesFound: {
    from: ['absent', 'waiting-for-data', 'failed', 'claimed@owner', 'outcome-unknown'],
    to: 'generated',
    when: "the ledger shows the month's batches",
  },
  nothingSent: { from: ['claimed@owner'], to: 'failed', when: 'the POST provably sent nothing (429, 4xx, refused connection, too little time left)' },
  taskFailed: { from: ['claimed@owner', 'generating@owner'], to: 'failed', when: 'Mangrove reports the task `failed`' },
  outcomeUnknown: {
    from: ['claimed@owner', 'generating@owner'],
    to: 'outcome-unknown',
    when: 'the POST got no clear answer, or the task was unfinished or unreadable at the deadline',
  },
  noData: { from: ['absent', 'waiting-for-data', 'failed'], to: 'waiting-for-data', when: "the preview is 0: the month's data is not in Mangrove yet" },
  overdue: {
    from: ['absent', 'waiting-for-data', 'failed'],
    to: 'waiting-for-data',
    once: 'overdueAlertedAt',
    when: 'still no data past `generateByDay`: the one overdue alert for the month is sent',
  },
  batchesRecorded: { from: ['generated'], to: 'generated', when: "VerifyBatches found the month's batches: their ids and total are added" },
  resolve: {
    from: ['absent', 'waiting-for-data', 'claimed', 'generating', 'generated', 'outcome-unknown', 'failed', 'overridden'],
    to: 'overridden',
    when: 'an operator decides (`batch-autopilot resolve … generated|not-generated`), recorded with who and when',
  },
} as const satisfies Record<string, Transition>;
export type TransitionName = keyof typeof TRANSITIONS;



/** What a transition writes besides the state. */
export type RecordPatch = Partial<Pick<LedgerMonthRecord, 'taskId' | 'batchIds' | 'total' | 'error' | 'decision' | 'by' | 'forced'>>;

export type ClaimResult = { won: true } | { won: false; conflict: LedgerMonthRecord | null };

/** A transition refused because a record was not in a state it may start from. */
export class RecordConflictError extends WorkflowError {
  override readonly name = ERROR.RecordConflictError;
  constructor(
    readonly transition: TransitionName,
    readonly record: LedgerMonthRecord | null,
    key: LedgerMonth,
  ) {
    super(`${transition}: ${key.ledgerId} ${key.month} is ${record ? record.state : 'not recorded'}, which ${transition} cannot start from`, key.ledgerId);
  }
}


/** One fixed order for every run, so two overlapping claims meet on the same first item. */
export function inKeyOrder<T extends LedgerMonth>(items: readonly T[]): T[] {
  const unique = new Map(items.map((item) => [recordKey(item), item]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

type DynamoDBCommands = typeof import('@aws-sdk/client-dynamodb');
let commands: Promise<DynamoDBCommands> | undefined;
/**
 * Imported on first use rather than at the top: a bundler hoists a static import of an external
 * package to the bundle's entry, and every step's cold start would load DynamoDB.
 */
function dynamoDBCommands(): Promise<DynamoDBCommands> {
  commands ??= import('@aws-sdk/client-dynamodb');
  return commands;
}

/** The SDK's ConditionalCheckFailedException, by name: the class itself is loaded lazily. */
function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export class LedgerMonthRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every DynamoDB failure but a refused condition becomes one error the state machine can retry. */
  private async send<T>(call: (client: DynamoDBClient, sdk: DynamoDBCommands) => Promise<T>): Promise<T> {
    try {
      return await call(this.client, await dynamoDBCommands());
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new RecordStoreUnavailableError(`ledger-month records (${this.tableName}): ${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  /** The quarters' submission records, kept in the same table (loaded on first use: only the submission steps need them). */
  async quarters(): Promise<QuarterSubmissions> {
    const { QuarterSubmissions } = await import('./quarter-submission-record.js');
    return new QuarterSubmissions((call) => this.send(call), this.tableName, this.now);
  }

  async get(key: LedgerMonth): Promise<LedgerMonthRecord | null> {
    const { Item } = await this.send((client, { GetItemCommand }) => client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: recordKey(key) } }, ConsistentRead: true })));
    return Item ? fromItem(Item) : null;
  }

  /** Claims every item or none: on the first conflict the items already claimed are put back as they were. */
  async claimAll(keys: readonly LedgerMonth[], owner: string, options: { force?: boolean } = {}): Promise<ClaimResult> {
    const transition: TransitionName = options.force ? 'forceClaim' : 'claim';
    const taken: Array<{ key: LedgerMonth; previous: LedgerMonthRecord | null }> = [];
    for (const key of inKeyOrder(keys)) {
      try {
        const previous = await this.write(transition, key, owner, options.force ? { forced: true } : {});
        taken.push({ key, previous });
      } catch (error) {
        if (!(error instanceof RecordConflictError)) throw error;
        for (const { key: claimed, previous } of taken.reverse()) await this.restore(claimed, owner, previous);
        return { won: false, conflict: error.record };
      }
    }
    return { won: true };
  }

  /**
   * Moves every item along `transition`; throws RecordConflictError at the first item that may not
   * move. An item already in the target state counts as moved, so a retried step is harmless.
   */
  async moveAll(transition: TransitionName, keys: readonly LedgerMonth[], owner: string, patch: RecordPatch = {}): Promise<void> {
    for (const key of inKeyOrder(keys)) await this.move(transition, key, owner, patch);
  }

  /** One item along `transition` if it may move; false (and nothing written) if it may not. */
  async tryMove(transition: TransitionName, key: LedgerMonth, owner: string, patch: RecordPatch = {}): Promise<boolean> {
    try {
      await this.write(transition, key, owner, patch);
      return true;
    } catch (error) {
      if (error instanceof RecordConflictError) return false;
      throw error;
    }
  }

  async move(transition: TransitionName, key: LedgerMonth, owner: string, patch: RecordPatch = {}): Promise<void> {
    try {
      await this.write(transition, key, owner, patch);
    } catch (error) {
      const alreadyThere = error instanceof RecordConflictError && error.record?.state === TRANSITIONS[transition].to && transition !== 'claim' && transition !== 'forceClaim';
      if (!alreadyThere) throw error;
    }
  }

  /** One conditional write; returns the record as it was before. */
  private async write(transition: TransitionName, key: LedgerMonth, owner: string, patch: RecordPatch): Promise<LedgerMonthRecord | null> {
    const { from, to } = TRANSITIONS[transition];
    const values: Record<string, AttributeValue> = { ':to': { S: to }, ':owner': { S: owner }, ':at': { S: new Date(this.now()).toISOString() } };
    const names: Record<string, string> = { '#state': 'state', '#owner': 'owner', '#at': 'updatedAt', '#decision': 'decision' };
    const conditions = from.map((start, index) => condition(start, index, values));
    const once = (TRANSITIONS[transition] as Transition).once;
    const sets = ['#state = :to', '#at = :at', 'ledgerId = :ledgerId', 'monthLabel = :month'];
    values[':ledgerId'] = { S: key.ledgerId };
    values[':month'] = { S: key.month };
    // A claimed or generating record names its holder; any other state holds no owner.
    if (to === 'claimed' || to === 'generating') sets.push('#owner = :owner');
    if (once) {
      names['#once'] = once;
      sets.push('#once = :at');
    }
    const removes = to === 'claimed' || to === 'generating' ? [] : ['#owner'];
    sets.push(...setJsonFields(patch, names, values));
    if (transition === 'claim' || transition === 'forceClaim') removes.push('#error');
    if (removes.includes('#error')) names['#error'] = 'error';
    const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
    const conditionExpression = once ? `(${conditions.join(' OR ')}) AND attribute_not_exists(#once)` : conditions.join(' OR ');
    try {
      const { Attributes } = await this.send((client, { UpdateItemCommand }) =>
        client.send(new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: recordKey(key) } },
          UpdateExpression: update,
          ConditionExpression: conditionExpression,
          // DynamoDB refuses names and values an expression does not use.
          ExpressionAttributeNames: usedIn(`${update} ${conditionExpression}`, names),
          ExpressionAttributeValues: usedIn(`${update} ${conditionExpression}`, values),
          ReturnValues: 'ALL_OLD',
        })),
      );
      return Attributes ? fromItem(Attributes) : null;
    } catch (error) {
      if (isConditionFailure(error)) throw new RecordConflictError(transition, await this.get(key), key);
      throw error;
    }
  }

  /** Undoes this owner's claim: the item as it was, or no item. */
  private async restore(key: LedgerMonth, owner: string, previous: LedgerMonthRecord | null): Promise<void> {
    const stillOurs = {
      ConditionExpression: '#state = :claimed AND #owner = :owner',
      ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: { ':claimed': { S: 'claimed' }, ':owner': { S: owner } },
    };
    const Key = { pk: { S: recordKey(key) } };
    if (previous === null) await this.send((client, { DeleteItemCommand }) => client.send(new DeleteItemCommand({ TableName: this.tableName, Key, ...stillOurs })));
    else await this.send((client, { PutItemCommand }) => client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(previous), ...stillOurs })));
  }
}

function condition(start: From, index: number, values: Record<string, AttributeValue>): string {
  if (start === 'absent') return 'attribute_not_exists(pk)';
  const [state, qualifier] = start.split(/[@:]/) as [RecordState, string | undefined];
  values[`:from${index}`] = { S: state };
  if (qualifier === 'owner') return `(#state = :from${index} AND #owner = :owner)`;
  if (qualifier) {
    values[`:decision${index}`] = { S: JSON.stringify(qualifier) };
    return `(#state = :from${index} AND #decision = :decision${index})`;
  }
  return `#state = :from${index}`;
}

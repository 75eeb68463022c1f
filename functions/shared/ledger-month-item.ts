/** The ledger-month record's shape, and as a DynamoDB item and back: `pk` is `ledgerId#YYYY-MM`, richer fields are JSON strings. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export const RECORD_STATES = ['waiting-for-data', 'claimed', 'generating', 'generated', 'outcome-unknown', 'failed', 'overridden'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export interface LedgerMonth {
  ledgerId: string;
  /** `YYYY-MM` in the configured time zone. */
  month: string;
}

export interface LedgerMonthRecord extends LedgerMonth {
  state: RecordState;
  /** The run (execution#ledger index) that holds a claimed or generating month. */
  owner?: string;
  taskId?: number;
  batchIds?: string[];
  total?: { value: number; unit: string | null };
  error?: string;
  /** For `overridden`: the operator's decision and who made it. */
  decision?: 'generated' | 'not-generated';
  by?: string;
  forced?: boolean;
  /** When the month's one overdue alert went out. */
  overdueAlertedAt?: string;
  updatedAt: string;
}

/** Generated, or an operator decided it was: no run generates such a month again without force. */
export function isGenerated(record: LedgerMonthRecord | null): boolean {
  return record?.state === 'generated' || (record?.state === 'overridden' && record.decision === 'generated');
}

export function recordKey({ ledgerId, month }: LedgerMonth): string {
  return `${ledgerId}#${month}`;
}

const JSON_FIELDS = ['taskId', 'batchIds', 'total', 'error', 'decision', 'by', 'forced'] as const;

export function fromItem(item: Record<string, AttributeValue>): LedgerMonthRecord {
  const record: LedgerMonthRecord = {
    ledgerId: item.ledgerId?.S ?? '',
    month: item.monthLabel?.S ?? '',
    state: item.state?.S as RecordState,
    updatedAt: item.updatedAt?.S ?? '',
  };
  if (item.owner?.S) record.owner = item.owner.S;
  if (item.overdueAlertedAt?.S) record.overdueAlertedAt = item.overdueAlertedAt.S;
  return Object.assign(record, readJsonFields(item, JSON_FIELDS));
}

export function toItem(record: LedgerMonthRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    pk: { S: recordKey(record) },
    ledgerId: { S: record.ledgerId },
    monthLabel: { S: record.month },
    state: { S: record.state },
    updatedAt: { S: record.updatedAt },
  };
  if (record.owner) item.owner = { S: record.owner };
  if (record.overdueAlertedAt) item.overdueAlertedAt = { S: record.overdueAlertedAt };
  for (const field of JSON_FIELDS) if (record[field] !== undefined) item[field] = { S: JSON.stringify(record[field]) };
  return item;
}

/** DynamoDB refuses names and values an expression does not use: only those it does. */
export function usedIn<T>(expression: string, placeholders: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(placeholders).filter(([placeholder]) => new RegExp(`${placeholder}(?![A-Za-z0-9_])`).test(expression)));
}

/** The richer fields of an item, each kept as a JSON string: those present, parsed. */
export function readJsonFields(item: Record<string, AttributeValue>, fields: readonly string[]): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = item[field]?.S;
    if (raw !== undefined) read[field] = JSON.parse(raw);
  }
  return read;
}

/** An update's `SET` clauses for the fields of `patch` that are set, each written as a JSON string; fills in their names and values. */
export function setJsonFields(patch: Record<string, unknown>, names: Record<string, string>, values: Record<string, AttributeValue>): string[] {
  return Object.entries(patch).flatMap(([field, value]) => {
    if (value === undefined) return [];
    names[`#${field}`] = field;
    values[`:${field}`] = { S: JSON.stringify(value) };
    return [`#${field} = :${field}`];
  });
}

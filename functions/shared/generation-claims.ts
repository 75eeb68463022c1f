/**
 * Who is generating which month right now. Mangrove has no idempotency key and its batches appear
 * only when a task completes, so two runs for the same window (a scheduled and a manual one, a ledger
 * named by id and by name, a retry while the first task still runs) would both see "no batches yet"
 * and both POST. A claim, taken with a conditional write before the POST, lets exactly one of them win.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';

export interface GenerationClaim {
  key: string;
  /** The execution that holds it. */
  owner: string;
  claimedAt: string;
  /** Unix seconds; an expired claim may be taken by anyone (DynamoDB's TTL also deletes it later). */
  expiresAt: number;
  /** Set once the owner's POST was accepted. */
  taskId?: number;
}

export type ClaimResult = { won: true } | { won: false; holder: GenerationClaim };

export interface GenerationClaims {
  /** Takes `key` unless another unexpired claim holds it (the current holder is returned). */
  claim(key: string, owner: string, ttlSeconds: number, nowMs: number): Promise<ClaimResult>;
  /** Replaces `previousOwner`'s claim, only if it still holds it (its task is known to have failed). */
  takeOver(key: string, owner: string, previousOwner: string, ttlSeconds: number, nowMs: number): Promise<boolean>;
  /** Remembers the task the owner started, so a later run can ask Mangrove about it. */
  recordTask(key: string, owner: string, taskId: number): Promise<void>;
  /** Gives the claim up (Mangrove refused the POST outright, so nothing is in flight). */
  release(key: string, owner: string): Promise<void>;
}

/** One claim per window and set of written ledgers, whichever of them a run names. */
export function claimKey(ledgerIds: readonly string[], window: { startTime: string; endTime: string }): string {
  return `${[...new Set(ledgerIds)].sort().join('+')}#${window.startTime}#${window.endTime}`;
}

function newClaim(key: string, owner: string, ttlSeconds: number, nowMs: number): GenerationClaim {
  return { key, owner, claimedAt: new Date(nowMs).toISOString(), expiresAt: Math.floor(nowMs / 1000) + ttlSeconds };
}

export class DynamoDbGenerationClaims implements GenerationClaims {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBClient = new DynamoDBClient({}),
  ) {}

  async claim(key: string, owner: string, ttlSeconds: number, nowMs: number): Promise<ClaimResult> {
    const claim = newClaim(key, owner, ttlSeconds, nowMs);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(claim),
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(nowMs / 1000)) } },
        }),
      );
      return { won: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const current = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: key } }, ConsistentRead: true }));
    // Deleted between the two calls: whoever claims next wins; report it as held by an unknown run.
    return { won: false, holder: current.Item ? fromItem(current.Item) : { key, owner: 'unknown', claimedAt: '', expiresAt: 0 } };
  }

  async takeOver(key: string, owner: string, previousOwner: string, ttlSeconds: number, nowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(newClaim(key, owner, ttlSeconds, nowMs)),
          ConditionExpression: '#owner = :previous',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':previous': { S: previousOwner } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordTask(key: string, owner: string, taskId: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET taskId = :task',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':task': { N: String(taskId) }, ':owner': { S: owner } },
      }),
    );
  }

  async release(key: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: key } },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      // Someone else holds it now: theirs to keep.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

type Item = Record<string, AttributeValue>;

function toItem(claim: GenerationClaim): Item {
  const item: Item = {
    pk: { S: claim.key },
    owner: { S: claim.owner },
    claimedAt: { S: claim.claimedAt },
    expiresAt: { N: String(claim.expiresAt) },
  };
  if (claim.taskId !== undefined) item.taskId = { N: String(claim.taskId) };
  return item;
}

function fromItem(item: Item): GenerationClaim {
  const text = (name: string): string | undefined => item[name]?.S;
  const number = (name: string): string | undefined => item[name]?.N;
  const taskId = number('taskId');
  return {
    key: text('pk') ?? '',
    owner: text('owner') ?? 'unknown',
    claimedAt: text('claimedAt') ?? '',
    expiresAt: Number(number('expiresAt') ?? 0),
    ...(taskId ? { taskId: Number(taskId) } : {}),
  };
}

/** The same rules in memory, for local runs (all of a process's runs share one instance). */
export class InMemoryGenerationClaims implements GenerationClaims {
  private readonly claims = new Map<string, GenerationClaim>();

  async claim(key: string, owner: string, ttlSeconds: number, nowMs: number): Promise<ClaimResult> {
    const current = this.claims.get(key);
    if (current && current.expiresAt >= Math.floor(nowMs / 1000)) return { won: false, holder: { ...current } };
    this.claims.set(key, newClaim(key, owner, ttlSeconds, nowMs));
    return { won: true };
  }

  async takeOver(key: string, owner: string, previousOwner: string, ttlSeconds: number, nowMs: number): Promise<boolean> {
    if (this.claims.get(key)?.owner !== previousOwner) return false;
    this.claims.set(key, newClaim(key, owner, ttlSeconds, nowMs));
    return true;
  }

  async recordTask(key: string, owner: string, taskId: number): Promise<void> {
    const current = this.claims.get(key);
    if (current?.owner === owner) current.taskId = taskId;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.claims.get(key)?.owner === owner) this.claims.delete(key);
  }
}

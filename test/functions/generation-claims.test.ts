import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimKey, DynamoDbGenerationClaims, InMemoryGenerationClaims, type GenerationClaims } from '../../functions/shared/generation-claims.js';

// DynamoDB cannot run here; the mock answers as it would to each conditional write.
const dynamo = mockClient(DynamoDBClient);
const TABLE = 'BatchAutopilot-GenerationClaims';
const NOW = Date.parse('2025-04-02T06:00:00.000Z');
const KEY = claimKey(['lgr_b', 'lgr_a', 'lgr_b'], { startTime: '2025-03-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z' });

beforeEach(() => {
  dynamo.reset();
});

const conditionFailed = (): ConditionalCheckFailedException => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('claimKey', () => {
  it('is the same whichever of the written ledgers a run names, and in any order', () => {
    expect(KEY).toBe('lgr_a+lgr_b#2025-03-01T00:00:00.000Z#2025-03-31T23:59:59.000Z');
  });
});

describe('DynamoDbGenerationClaims', () => {
  const claims = (): DynamoDbGenerationClaims => new DynamoDbGenerationClaims(TABLE, new DynamoDBClient({ region: 'eu-west-1' }));

  it('claims with a conditional put that only an absent or expired claim lets through', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await expect(claims().claim(KEY, 'manual-x-2025-03', 10_800, NOW)).resolves.toEqual({ won: true });
    const [put] = dynamo.commandCalls(PutItemCommand);
    expect(put?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: KEY },
        owner: { S: 'manual-x-2025-03' },
        claimedAt: { S: '2025-04-02T06:00:00.000Z' },
        expiresAt: { N: String(NOW / 1000 + 10_800) },
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': { N: String(NOW / 1000) } },
    });
  });

  it('reports the holder when the claim is taken', async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    dynamo.on(GetItemCommand).resolves({
      Item: { pk: { S: KEY }, owner: { S: 'scheduled-x-2025-03' }, claimedAt: { S: '2025-04-02T05:59:00.000Z' }, expiresAt: { N: '1743584340' }, taskId: { N: '42' } },
    });
    const result = await claims().claim(KEY, 'manual-x-2025-03', 10_800, NOW);
    expect(result).toEqual({ won: false, holder: { key: KEY, owner: 'scheduled-x-2025-03', claimedAt: '2025-04-02T05:59:00.000Z', expiresAt: 1743584340, taskId: 42 } });
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true, Key: { pk: { S: KEY } } });
  });

  it('takes over only from the owner it names, records tasks and releases only its own claim', async () => {
    dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    dynamo.on(DeleteItemCommand).rejects(conditionFailed());
    const store = claims();
    await expect(store.takeOver(KEY, 'run-2', 'run-1', 60, NOW)).resolves.toBe(false);
    await expect(store.takeOver(KEY, 'run-2', 'run-1', 60, NOW)).resolves.toBe(true);
    expect(dynamo.commandCalls(PutItemCommand)[1]?.args[0].input).toMatchObject({
      ConditionExpression: '#owner = :previous',
      ExpressionAttributeValues: { ':previous': { S: 'run-1' } },
    });
    await store.recordTask(KEY, 'run-2', 77);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'SET taskId = :task',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':task': { N: '77' }, ':owner': { S: 'run-2' } },
    });
    // Someone else's claim: the failed condition is not an error.
    await expect(store.release(KEY, 'run-2')).resolves.toBeUndefined();
  });

  it('does not hide other DynamoDB failures', async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await expect(claims().claim(KEY, 'run', 60, NOW)).rejects.toThrow('Requested resource not found');
  });
});

describe('InMemoryGenerationClaims (local runs) keeps the same rules', () => {
  let store: GenerationClaims;
  beforeEach(() => {
    store = new InMemoryGenerationClaims();
  });

  it('one winner; the holder and its task are reported; an expired claim is free', async () => {
    expect(await store.claim(KEY, 'a', 60, NOW)).toEqual({ won: true });
    await store.recordTask(KEY, 'a', 9);
    expect(await store.claim(KEY, 'b', 60, NOW + 30_000)).toMatchObject({ won: false, holder: { owner: 'a', taskId: 9 } });
    expect(await store.claim(KEY, 'b', 60, NOW + 61_000)).toEqual({ won: true });
  });

  it('takeOver and release act only for the named owner', async () => {
    await store.claim(KEY, 'a', 60, NOW);
    expect(await store.takeOver(KEY, 'c', 'b', 60, NOW)).toBe(false);
    await store.release(KEY, 'b');
    expect(await store.claim(KEY, 'b', 60, NOW)).toMatchObject({ won: false });
    await store.release(KEY, 'a');
    expect(await store.claim(KEY, 'b', 60, NOW)).toEqual({ won: true });
  });
});

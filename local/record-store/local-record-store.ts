/**
 * The ledger-month records on this machine: dynalite (a DynamoDB implementation) on 127.0.0.1, port
 * 0, in memory or in a directory, answering the same SDK calls as the deployed table. The local
 * runner, `npm start` and the tests keep their records through the very code the Lambdas use.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';

/** The deployed table's name is CloudFormation's; locally one fixed name serves. */
export const LOCAL_RECORDS_TABLE = 'batch-autopilot-ledger-months';

export interface LocalRecordStore {
  records: LedgerMonthRecords;
  client: DynamoDBClient;
  tableName: string;
  /** Forgets every record (a fresh table), e.g. between tests. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface LocalRecordStoreOptions {
  /** A directory to keep the records in between runs; in memory when absent. */
  path?: string;
  now?: () => number;
}

export async function startLocalRecordStore(options: LocalRecordStoreOptions = {}): Promise<LocalRecordStore> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  // Node closes a keep-alive socket idle for 5 s; a test whose beforeAll blocks longer (a synthesis)
  // then sends its next request down the closed socket before the close is seen: ECONNRESET.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    // dynalite checks that a signature is present, not whose it is.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createTable(client);
  await untilTable(client, 'ACTIVE');
  return {
    records: new LedgerMonthRecords(client, LOCAL_RECORDS_TABLE, options.now),
    client,
    tableName: LOCAL_RECORDS_TABLE,
    clear: async () => {
      await client.send(new DeleteTableCommand({ TableName: LOCAL_RECORDS_TABLE }));
      await untilTable(client, 'ABSENT');
      await createTable(client);
      await untilTable(client, 'ACTIVE');
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function createTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: LOCAL_RECORDS_TABLE,
        // The same key as lib/'s table: one item per `ledgerId#YYYY-MM`.
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    // A directory from an earlier run already has its table.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** The table's status; `ABSENT` also while dynalite is still creating it (it answers "not found" then). */
async function tableStatus(client: DynamoDBClient): Promise<string> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: LOCAL_RECORDS_TABLE }));
    return Table?.TableStatus ?? 'ABSENT';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'ABSENT';
    throw error;
  }
}

/**
 * Waits for the table to be `wanted`: with LevelDB underneath, creating or deleting can outlast the
 * call's reply. Polled on loopback, a few milliseconds at most; a table a crashed process left
 * half-made never gets there, hence the bound.
 */
async function untilTable(client: DynamoDBClient, wanted: 'ACTIVE' | 'ABSENT'): Promise<void> {
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    if ((await tableStatus(client)) === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the local records table ${LOCAL_RECORDS_TABLE} never became ${wanted} (a store left half-made by a crashed run?)`);
}

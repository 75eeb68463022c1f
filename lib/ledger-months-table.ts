/**
 * The ledger-month records (functions/shared/ledger-month-record.ts): one item per ledger and month,
 * the product's memory of what is generated. Durable: it outlives the stack and is backed up.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export class LedgerMonthsTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      // `ledgerId#YYYY-MM`; no TTL: nothing in it lapses on a timer.
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Deleting the stack must not forget which months were generated.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The item operations the record-keeping steps perform (Put and Delete only to roll a claim back), on this table alone. */
  grantRecordKeeping(grantee: IGrantable): void {
    this.table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  }
}

/** The Mangrove API token in Secrets Manager; its value is put by the operator after deploy. */
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export const DEFAULT_SECRET_NAME = 'batch-autopilot/mangrove-api-token';

export interface ApiTokenProps {
  /** @default DEFAULT_SECRET_NAME */
  secretName?: string;
}

export class ApiToken extends Construct {
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: ApiTokenProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: props.secretName ?? DEFAULT_SECRET_NAME,
      description: 'Mangrove API token (Production Accounting read + write) for Batch Autopilot',
    });
  }
}

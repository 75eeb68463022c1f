/** The Mangrove API token in Secrets Manager: created empty (the operator puts the value) or imported. */
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { TOKEN_PLACEHOLDER } from '../functions/shared/token-source.js';
import { Construct } from 'constructs';

export interface ApiTokenProps {
  /** Name of the secret to create. @default 'batch-autopilot/mangrove-api-token' */
  secretName: string;
  /** Complete ARN of an existing secret to use instead of creating one. @default - a new secret */
  secretArn?: string;
}

export class ApiToken extends Construct {
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: ApiTokenProps) {
    super(scope, id);
    if (props.secretArn) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.secretArn);
      return;
    }
    const secret = new Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'Mangrove API token (Production Accounting read + write) for Batch Autopilot; put the value after deploy',
      // A placeholder, not a generated random string: until the real token is put, runs say so
      // (MissingTokenError) instead of failing as if Mangrove had revoked a token.
      secretStringValue: SecretValue.unsafePlainText(TOKEN_PLACEHOLDER),
      // The token outlives the stack: deleting or replacing the stack must not lose it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Mangrove issues the token; Secrets Manager has no way to mint a new one. Rotate it in Mangrove and put it here (a 401 makes the steps re-read the secret).',
    });
    this.secret = secret;
  }

  /** GetSecretValue on this secret alone: no DescribeSecret, no other secret. */
  grantRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
  }
}

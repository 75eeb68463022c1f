/** The Mangrove API token in Secrets Manager: created empty (the operator puts the value) or imported. */
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import { TOKEN_PLACEHOLDER } from '../functions/shared/token-source.js';
import { Construct } from 'constructs';

export interface ApiTokenProps {
  /** Name of the secret to create. @default 'batch-autopilot/mangrove-api-token' */
  secretName: string;
  /** Complete ARN of an existing secret to use instead of creating one. @default - a new secret */
  secretArn?: string;
  /** The customer-managed key that existing secret is encrypted with. @default - the AWS-managed key */
  secretKmsKeyArn?: string;
}

export class ApiToken extends Construct {
  readonly secret: ISecret;
  readonly #kmsKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: ApiTokenProps) {
    super(scope, id);
    this.#kmsKeyArn = props.secretKmsKeyArn;
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
    // A secret under a customer-managed key cannot be read without decrypting with it, and only through Secrets Manager.
    if (this.#kmsKeyArn) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.#kmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
  }
}

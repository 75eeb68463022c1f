/** What the operator commands share about AWS: which state machine, a client for it, errors as one line to act on. */
import { existsSync, readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { executionConsoleUrl as consoleUrl } from '../functions/shared/console-urls.js';

export const STATE_MACHINE_ARN_ENV = 'BATCH_AUTOPILOT_STATE_MACHINE_ARN';
/** Written by `npm run deploy` (cdk deploy --outputs-file). */
export const OUTPUTS_FILE = 'cdk-outputs.json';
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[A-Za-z0-9_-]+$/;

/** A problem the operator fixes by changing how they call us or their AWS setup: exit 2, one line. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}

export function resolveStateMachineArn(flag: string | undefined, env: NodeJS.ProcessEnv, outputsFile = OUTPUTS_FILE): string {
  const arn = flag ?? env[STATE_MACHINE_ARN_ENV] ?? readDeployOutputs(outputsFile);
  if (!arn) {
    throw new OperatorError(
      `no state machine: pass --state-machine-arn, set ${STATE_MACHINE_ARN_ENV}, or deploy with "npm run deploy" (it writes ${OUTPUTS_FILE})`,
    );
  }
  if (!STATE_MACHINE_ARN.test(arn)) throw new OperatorError(`--state-machine-arn: expected a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>), got "${arn}"`);
  return arn;
}

function readDeployOutputs(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const outputs = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
  return Object.values(outputs).find((stack) => stack.StateMachineArn)?.StateMachineArn;
}

export function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** The client for the state machine's own region, whatever AWS_REGION says. */
export function sfnClientFor(stateMachineArn: string): SFNClient {
  return new SFNClient({ region: regionOf(stateMachineArn) });
}

export function executionConsoleUrl(executionArn: string): string {
  return consoleUrl(regionOf(executionArn), executionArn);
}

/** An AWS SDK failure as one line that says what to fix; null when it is not one we recognise. */
export function describeAwsError(error: unknown, stateMachineArn: string): string | null {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  const region = regionOf(stateMachineArn);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run "aws sso login"';
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].includes(name)) {
    return `AWS rejected the credentials (${name}): refresh them (e.g. "aws sso login") and try again`;
  }
  if (name === 'StateMachineDoesNotExist') {
    return `no state machine ${stateMachineArn} in ${region}: check the ARN's region and account, or deploy the stack ("npm run deploy")`;
  }
  if (name === 'ExecutionDoesNotExist') return `no such execution of ${stateMachineArn}: check the execution name or ARN ("history" lists them)`;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    const action = /perform: (\S+)/.exec(message)?.[1] ?? 'the Step Functions action';
    return `access denied for ${action} on ${stateMachineArn}: use credentials whose policy allows it`;
  }
  if (name === 'InvalidArn') return `invalid ARN: ${message}`;
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    return `cannot reach AWS Step Functions in ${region} (${code}): check the network, a proxy, or the region in the ARN`;
  }
  return null;
}

/** What the operator commands need from the outside world; tests swap in mocks and instant sleeps. */
export interface AwsDeps {
  sfnFor(stateMachineArn: string): SFNClient;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const defaultAwsDeps: AwsDeps = {
  sfnFor: sfnClientFor,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

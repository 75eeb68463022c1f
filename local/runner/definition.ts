/**
 * The state machine definition the local runner executes, extracted from the same CDK synthesis
 * that deploys, never a hand-kept copy.
 */
import { App } from 'aws-cdk-lib';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { BatchAutopilotStack } from '../../lib/batch-autopilot-stack.js';
import { readCdkJsonConfig, type BatchAutopilotConfig } from '../../lib/config.js';

const FAKE_ACCOUNT = '123456789012';
const FAKE_REGION = 'us-east-1';

type CfnValue = string | { Ref: string } | { 'Fn::GetAtt': [string, string] } | { 'Fn::Join': [string, CfnValue[]] };

/**
 * Synthesizes the stack without bundling (no esbuild, seconds faster) and without the WebAssembly
 * CloudFormation checker (1.5 s, and it checks the template, not the definition run here; `npm run
 * synth` and the synth test still run it), and returns its template.
 */
export function synthesizeTemplate(config: BatchAutopilotConfig): Record<string, unknown> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new BatchAutopilotStack(app, 'BatchAutopilot', { config, env: { account: FAKE_ACCOUNT, region: FAKE_REGION } });
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}

const localDefinitions = new Map<string, StateMachineDefinition>();

/**
 * The definition for a local run: synthesized from cdk.json's configuration, so it is the one
 * `npm run synth` deploys. Synthesis takes seconds: one per configuration per process.
 */
export function localDefinition(config: BatchAutopilotConfig = readCdkJsonConfig()): StateMachineDefinition {
  const key = JSON.stringify(config);
  let definition = localDefinitions.get(key);
  if (!definition) {
    definition = extractDefinition(synthesizeTemplate(config));
    localDefinitions.set(key, definition);
  }
  // The interpreter must not be able to alter the cached copy.
  return structuredClone(definition);
}

export function extractDefinition(template: Record<string, unknown>): StateMachineDefinition {
  const resources = template.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  const machines = Object.values(resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const definitionString = machines[0]?.Properties?.DefinitionString as CfnValue;
  return JSON.parse(resolve(definitionString, resources)) as StateMachineDefinition;
}

/** Resolves the intrinsics CDK puts in a DefinitionString to plausible local values. */
function resolve(value: CfnValue, resources: Record<string, { Type: string }>): string {
  if (typeof value === 'string') return value;
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((part) => resolve(part, resources)).join(separator);
  }
  if ('Ref' in value) {
    if (value.Ref === 'AWS::Partition') return 'aws';
    if (value.Ref === 'AWS::Region') return FAKE_REGION;
    if (value.Ref === 'AWS::AccountId') return FAKE_ACCOUNT;
    const type = resources[value.Ref]?.Type;
    if (type === 'AWS::SNS::Topic') return `arn:aws:sns:${FAKE_REGION}:${FAKE_ACCOUNT}:${value.Ref}`;
    throw new Error(`cannot resolve Ref ${value.Ref} (${type ?? 'unknown resource'}) in the state machine definition`);
  }
  if ('Fn::GetAtt' in value) {
    const [logicalId, attribute] = value['Fn::GetAtt'];
    if (resources[logicalId]?.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
      return `arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:${logicalId}`;
    }
    throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} in the state machine definition`);
  }
  throw new Error(`unexpected intrinsic in the state machine definition: ${JSON.stringify(value)}`);
}

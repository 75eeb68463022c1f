/**
 * Reads the synthesized policies the way AWS evaluates them for a delivery: every alarm action and
 * every rule target on the alert topic must be allowed to publish (topic policy, or the target's
 * role) and to use the topic's key, and only for this stack's own alarms and rule in this account.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchAutopilotStack } from '../../lib/batch-autopilot-stack.js';
import { parseConfig } from '../../lib/config.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Principal?: any; Action: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };

let resources: Record<string, Resource>;
beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BatchAutopilotStack(app, 'BatchAutopilot', {
    config: parseConfig({ ledgers: ['Net Carbon Removal'], alertEmails: ['ops@example.com'] }),
    env: { account: ACCOUNT, region: REGION },
  });
  resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
});

/** A template value as a string: pseudo parameters resolved, other references as `Ref:Id` / `GetAtt:Id.Attr`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return REGION;
  if (v.Ref === 'AWS::AccountId') return ACCOUNT;
  if (v.Ref) return `Ref:${v.Ref}`;
  if (v['Fn::GetAtt']) return `GetAtt:${v['Fn::GetAtt'].join('.')}`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  throw new Error(`cannot read ${JSON.stringify(value)}`);
}

const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`).test(value);
const actionsOf = (statement: Statement) => [statement.Action].flat();
const allows = (statement: Statement, action: string) => actionsOf(statement).some((granted) => glob(granted, action));
const servicesOf = (statement: Statement): string[] => [statement.Principal?.Service ?? []].flat();

/** Whether a service's call with this source ARN and account passes the statement's conditions; the issue asks for both keys. */
function conditionsAdmit(statement: Statement, sourceArn: string): boolean {
  const condition = statement.Condition ?? {};
  const arnPattern = condition.ArnLike?.['aws:SourceArn'] ?? condition.ArnEquals?.['aws:SourceArn'];
  const account = condition.StringEquals?.['aws:SourceAccount'];
  if (arnPattern === undefined || account === undefined) return false;
  return [arnPattern].flat().some((pattern) => glob(text(pattern), sourceArn)) && text(account) === ACCOUNT;
}

/** A resource-policy statement lets `service` do `action` for a call from `sourceArn`. */
function resourcePolicyAllows(statements: Statement[], service: string, action: string, sourceArn: string): boolean {
  return statements.some((statement) => statement.Effect === 'Allow' && servicesOf(statement).includes(service) && allows(statement, action) && conditionsAdmit(statement, sourceArn));
}

const topicPolicyOf = (topicId: string): Statement[] =>
  Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::SNS::TopicPolicy' && resource.Properties.Topics.some((topic: unknown) => text(topic) === `Ref:${topicId}`))
    .flatMap((resource) => resource.Properties.PolicyDocument.Statement);
const keyPolicyOfTopic = (topicId: string): Statement[] => {
  const keyId = text(resources[topicId]?.Properties.KmsMasterKeyId).replace(/^GetAtt:|\.Arn$/g, '');
  return resources[keyId]?.Properties.KeyPolicy.Statement ?? [];
};
const identityStatementsOf = (roleId: string): Statement[] =>
  Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: unknown) => text(role) === `Ref:${roleId}`))
    .flatMap((resource) => resource.Properties.PolicyDocument.Statement);
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('alert delivery', () => {
  it('lets every alarm publish to each topic it notifies, and use the topic’s key, for this stack’s alarms in this account only', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const [id, alarm] of alarms) {
      const alarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${text(alarm.Properties.AlarmName ?? `unnamed-${id}`)}`;
      const actions: unknown[] = [...(alarm.Properties.AlarmActions ?? []), ...(alarm.Properties.OKActions ?? [])];
      expect(actions.length, id).toBeGreaterThan(0);
      for (const action of actions) {
        const topicId = text(action).replace(/^Ref:/, '');
        expect(resourcePolicyAllows(topicPolicyOf(topicId), 'cloudwatch.amazonaws.com', 'sns:Publish', alarmArn), `${id} → sns:Publish`).toBe(true);
        for (const kmsAction of ['kms:Decrypt', 'kms:GenerateDataKey']) {
          expect(resourcePolicyAllows(keyPolicyOfTopic(topicId), 'cloudwatch.amazonaws.com', kmsAction, alarmArn), `${id} → ${kmsAction}`).toBe(true);
        }
      }
      // Someone else's alarm in another account gets nothing.
      const foreign = `arn:aws:cloudwatch:${REGION}:999999999999:alarm:someone-else`;
      for (const action of actions) expect(resourcePolicyAllows(topicPolicyOf(text(action).replace(/^Ref:/, '')), 'cloudwatch.amazonaws.com', 'sns:Publish', foreign)).toBe(false);
    }
  });

  it('lets the execution-status rule publish to its topic target, for this rule in this account only', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern?.source?.includes('aws.states'));
    expect(rules).toHaveLength(1);
    for (const [id, rule] of rules) {
      const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${text(rule.Properties.Name ?? `unnamed-${id}`)}`;
      for (const target of rule.Properties.Targets) {
        const topicId = text(target.Arn).replace(/^Ref:/, '');
        expect(resources[topicId]?.Type).toBe('AWS::SNS::Topic');
        if (target.RoleArn) {
          const roleId = text(target.RoleArn).replace(/^GetAtt:|\.Arn$/g, '');
          const trust: Statement[] = resources[roleId]?.Properties.AssumeRolePolicyDocument.Statement ?? [];
          expect(resourcePolicyAllows(trust, 'events.amazonaws.com', 'sts:AssumeRole', ruleArn), 'the role trusts this rule').toBe(true);
          expect(resourcePolicyAllows(trust, 'events.amazonaws.com', 'sts:AssumeRole', `arn:aws:events:${REGION}:${ACCOUNT}:rule/another-rule`), 'and no other').toBe(false);
          const identity = identityStatementsOf(roleId).filter((statement) => statement.Effect === 'Allow');
          expect(identity.some((statement) => allows(statement, 'sns:Publish') && text(statement.Resource) === `Ref:${topicId}`), 'role → sns:Publish').toBe(true);
          const keyArn = text(resources[topicId]?.Properties.KmsMasterKeyId);
          for (const kmsAction of ['kms:Decrypt', 'kms:GenerateDataKey']) {
            expect(identity.some((statement) => allows(statement, kmsAction) && [statement.Resource].flat().map(text).includes(keyArn)), `role → ${kmsAction}`).toBe(true);
          }
        } else {
          expect(resourcePolicyAllows(topicPolicyOf(topicId), 'events.amazonaws.com', 'sns:Publish', ruleArn), `${id} → sns:Publish`).toBe(true);
          expect(resourcePolicyAllows(keyPolicyOfTopic(topicId), 'events.amazonaws.com', 'kms:GenerateDataKey', ruleArn), `${id} → kms`).toBe(true);
        }
      }
    }
  });

  it('gives no service principal an unconditioned grant on the topic or its key', () => {
    const statements = [
      ...ofType('AWS::SNS::TopicPolicy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]),
      ...ofType('AWS::KMS::Key').flatMap(([, key]) => key.Properties.KeyPolicy.Statement as Statement[]),
    ];
    for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow' && servicesOf(candidate).length > 0)) {
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount'], JSON.stringify(statement)).toBe(ACCOUNT);
    }
  });
});

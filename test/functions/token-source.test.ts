import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { groupLedgersStep } from '../../functions/group-ledgers/handler.js';
import { resolveRun } from '../../functions/resolve-run/resolve-run-plan.js';
import { MangroveAuthError } from '../../functions/mangrove/errors.js';
import { invokeStep, type StepRuntime } from '../../functions/shared/step.js';
import { MissingTokenError } from '../../functions/shared/errors.js';
import { SecretsManagerTokenSource, TOKEN_PLACEHOLDER } from '../../functions/shared/token-source.js';
import { DEMO_LEDGERS, type Simulator } from '../../local/simulator/index.js';
import { useSimulator } from '../support/simulator.js';

// Secrets Manager cannot run here; it is the only thing mocked.
const secretsManager = mockClient(SecretsManagerClient);
const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:batch-autopilot/mangrove-api-token-AbCdEf';
const OLD_TOKEN = 'tok_old_SECRET_1111';
const NEW_TOKEN = 'tok_new_SECRET_2222';

let sim: Simulator;
let clock: number;

useSimulator({ tokens: { [NEW_TOKEN]: 'read-write' } }, { onStart: (started) => (sim = started) });
beforeEach(() => {
  secretsManager.reset();
  clock = 0;
});

function source(): SecretsManagerTokenSource {
  return new SecretsManagerTokenSource({ secretId: SECRET_ID, client: new SecretsManagerClient({ region: 'eu-west-1' }), now: () => clock });
}

describe('SecretsManagerTokenSource', () => {
  it('caches the token for minutes, then fetches it again', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolvesOnce({ SecretString: OLD_TOKEN }).resolves({ SecretString: NEW_TOKEN });
    const tokens = source();
    // Act + Assess
    expect(await tokens.get()).toBe(OLD_TOKEN);
    clock += 4 * 60_000;
    expect(await tokens.get()).toBe(OLD_TOKEN);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock += 2 * 60_000;
    expect(await tokens.get()).toBe(NEW_TOKEN);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads the console key/value form {"token": "…"}', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: NEW_TOKEN }) });
    expect(await source().get()).toBe(NEW_TOKEN);
  });

  it.each(['', TOKEN_PLACEHOLDER])('says how to put the token when the secret holds %j', async (value) => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: value });
    const error = await source().get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingTokenError);
    expect((error as Error).message).toContain(`aws secretsmanager put-secret-value --secret-id ${SECRET_ID}`);
  });
});

describe('a rotated token', () => {
  function groupEvent() {
    const defaults = { ledgers: [], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: false };
    return { plan: resolveRun({ month: '2025-03', ledgers: [DEMO_LEDGERS.netCarbonRemoval] }, defaults, Date.parse('2025-04-02T06:00:00Z')) };
  }

  function runtimeWith(tokens: SecretsManagerTokenSource): StepRuntime {
    return { tokens, client: { baseUrl: sim.url }, defaults: () => ({ ledgers: [], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: false }) };
  }

  it('is picked up after one 401, without a redeploy', async () => {
    // The cache still holds the revoked token; the secret already has the new one.
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: OLD_TOKEN }).resolves({ SecretString: NEW_TOKEN });
    const tokens = source();
    await tokens.get();

    const grouping = await invokeStep(groupLedgersStep, groupEvent(), runtimeWith(tokens));

    expect(grouping.groups[0]?.ledgers[0]?.id).toBe(DEMO_LEDGERS.netCarbonRemoval);
    expect(sim.requests.map((request) => request.status)).toEqual([401, 200]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('still fails with MangroveAuthError when the secret holds no better token (no retry storm)', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: OLD_TOKEN });
    const error = await invokeStep(groupLedgersStep, groupEvent(), runtimeWith(source())).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MangroveAuthError);
    expect(sim.requests).toHaveLength(1);
    expect(JSON.stringify(error)).not.toContain(OLD_TOKEN);
  });
});

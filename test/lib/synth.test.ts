import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../functions/steps.js';

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'batch-autopilot-synth-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run synth', () => {
  it('works offline without AWS credentials: bundles every step, passes cdk-nag, writes the template', async () => {
    // No credentials, no profile, nowhere to look anything up.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_DEFAULT')));
    const { stdout, stderr } = await run('npm', ['run', 'synth', '--', '--output', outDir], {
      env: { ...env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/AwsSolutions-|Validation failed/);
    const template = JSON.parse(readFileSync(join(outDir, 'BatchAutopilot.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    // Every step of functions/steps.ts and the schedule's starter.
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(STEPS.length + 1);
    const bundles = readdirSync(outDir).filter((name) => name.startsWith('asset.') && existsSync(join(outDir, name, 'index.mjs')));
    expect(bundles).toHaveLength(STEPS.length + 1);
  }, 150_000);
});

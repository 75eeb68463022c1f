/**
 * Each step's bundle loads an AWS SDK client only when the step first uses it: a static import of
 * an external package is evaluated on every cold start, whether the step needs the client or not.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { STEPS, stepFolder } from '../../functions/steps.js';

async function bundle(folder: string): Promise<string> {
  const result = await build({
    entryPoints: [`functions/${folder}/handler.ts`],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('step bundles', () => {
  it.each(STEPS.map(({ definition }) => stepFolder(definition.name)))('%s imports no AWS SDK client statically', async (folder) => {
    const code = await bundle(folder);
    const staticSdkImports = [...code.matchAll(/^import[^;]*?from\s*["'](@aws-sdk\/[^"']+)["']/gm)].map((match) => match[1]);
    expect(staticSdkImports).toEqual([]);
    // The step still reaches the clients it needs, lazily.
    expect(code).toMatch(/import\(["']@aws-sdk\/client-/);
  });
});

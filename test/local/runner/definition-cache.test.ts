/** The cached local definition: it must always be the one a fresh synthesis gives. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCdkJsonConfig } from '../../../lib/config.js';
import { DEFINITION_CACHE_DIR, definitionCacheKey, loadLocalDefinition } from '../../../local/runner/definition-cache.js';
import { localDefinition } from '../../../local/runner/definition.js';

describe('the definition cache', () => {
  it('serves, on a hit, exactly what a fresh synthesis gives (and fails if an entry is stale)', async () => {
    const config = readCdkJsonConfig();
    const fresh = localDefinition(config);
    // The shared cache first: whatever an earlier `npm start` left under this key must still be right.
    expect(await loadLocalDefinition(config)).toEqual(fresh);
    expect(existsSync(join(DEFINITION_CACHE_DIR, `definition-${definitionCacheKey(config)}.json`))).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'definition-cache-'));
    const missed = await loadLocalDefinition(config, dir);
    expect(readdirSync(dir)).toEqual([`definition-${definitionCacheKey(config)}.json`]);
    const hit = await loadLocalDefinition(config, dir);
    expect(missed).toEqual(fresh);
    expect(hit).toEqual(fresh);
  });

  it('keys on every source file, the configuration and the aws-cdk-lib version', () => {
    const root = mkdtempSync(join(tmpdir(), 'definition-key-'));
    for (const dir of ['lib/workflow-definition', 'functions/find-ledger', 'node_modules/aws-cdk-lib']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'lib/workflow-definition/run.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'functions/find-ledger/handler.ts'), "export const result = 'ledger';");
    writeFileSync(join(root, 'node_modules/aws-cdk-lib/package.json'), '{"version":"2.276.0"}');
    const config = readCdkJsonConfig();
    const key = definitionCacheKey(config, root);

    writeFileSync(join(root, 'functions/find-ledger/handler.ts'), "export const result = 'resolvedLedger';");
    const afterStep = definitionCacheKey(config, root);
    writeFileSync(join(root, 'lib/workflow-definition/run.ts'), 'export const a = 2;');
    const afterLib = definitionCacheKey(config, root);
    writeFileSync(join(root, 'node_modules/aws-cdk-lib/package.json'), '{"version":"2.277.0"}');
    const afterCdk = definitionCacheKey(config, root);
    const otherConfig = definitionCacheKey({ ...config, timeZone: 'Europe/Berlin' }, root);

    expect(new Set([key, afterStep, afterLib, afterCdk, otherConfig]).size).toBe(5);
    expect(definitionCacheKey({ ...config, timeZone: 'Europe/Berlin' }, root)).toBe(otherConfig);
  });
});

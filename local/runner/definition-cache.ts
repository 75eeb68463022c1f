/**
 * The local runner's definition without paying for a synthesis on every run. Synthesizing the
 * stack (and loading aws-cdk-lib for it) is most of `npm start`'s start-up; its result depends only
 * on lib/, functions/ (the steps and their result keys), the configuration and the aws-cdk-lib
 * version, so it is cached on disk under a hash of exactly those. Any change to them is a new key:
 * the definition run locally stays the one `npm run synth` deploys.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { BatchAutopilotConfig } from '../../lib/config.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where build tools keep caches by convention: ignored by git, gone with node_modules. */
export const DEFINITION_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'batch-autopilot');
/** What the synthesized definition is made from. */
const SOURCE_DIRS = ['lib', 'functions'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function definitionCacheKey(config: BatchAutopilotConfig, root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const cdkVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string }).version;
  hash.update(`aws-cdk-lib@${cdkVersion}\0`).update(JSON.stringify(config));
  return hash.digest('hex').slice(0, 24);
}

/** The definition for `config`: from the cache when its sources are unchanged, else synthesized (and cached). */
export async function loadLocalDefinition(config: BatchAutopilotConfig, cacheDir = DEFINITION_CACHE_DIR): Promise<StateMachineDefinition> {
  const file = join(cacheDir, `definition-${definitionCacheKey(config)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateMachineDefinition;
  } catch {
    // Not cached yet (or unreadable): synthesize below.
  }
  // Loaded only now: aws-cdk-lib is the heavy part of a start.
  const { localDefinition } = await import('./definition.js');
  const definition = localDefinition(config);
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename: a run reading at the same moment sees the whole file or none.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(definition));
    renameSync(partial, file);
  } catch {
    // A read-only checkout still runs; it only synthesizes every time.
  }
  return definition;
}

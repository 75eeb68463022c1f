#!/usr/bin/env node
// The installed `batch-autopilot` command. Node cannot run TypeScript itself: register tsx's loader
// (a dependency, so this works after `npm ci --omit=dev` too), then start the CLI from its source.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('./cli.ts');

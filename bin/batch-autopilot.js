#!/usr/bin/env node
// The installed `batch-autopilot` command. Node cannot run TypeScript itself: register tsx's loader
// (a dependency of the package, not a dev tool), then start the CLI from its source.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./cli.ts');

#!/usr/bin/env node
/** The operator CLI: `batch-autopilot run …` (see cli/main.ts). */
import { cli } from '../cli/main.js';

process.exitCode = await cli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  interactive: Boolean(process.stdout.isTTY),
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { play, SCENES } from './readme-scenes.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README "Operating it" shows the commands’ real output', () => {
  it.each(SCENES.map((scene) => [scene.args.join(' '), scene] as const))('$ npx batch-autopilot %s', async (_, scene) => {
    expect(README).toContain(await play(scene));
  });
});

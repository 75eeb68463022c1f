import { describe, expect, it } from 'vitest';
import { isAllowedApiUrl } from '../../../functions/mangrove/api-url.js';
import { MangroveClient } from '../../../functions/mangrove/client.js';
import { runtimeFromEnvironment } from '../../../functions/shared/lambda-runtime.js';
import { ConfigError, parseConfig } from '../../../lib/config.js';

describe('where the token may be sent', () => {
  it.each([
    ['https://app.gomangrove.com/api/v1', true],
    ['http://127.0.0.1:4010/api/v1', true],
    ['http://localhost:4010/api/v1', true],
    ['http://[::1]:4010/api/v1', true],
    ['http://app.gomangrove.com/api/v1', false],
    ['http://10.0.0.5/api/v1', false],
    ['ftp://app.gomangrove.com', false],
    ['app.gomangrove.com/api/v1', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedApiUrl(url)).toBe(allowed);
  });

  it('is refused by the client, the deployment config and the Lambda environment alike, naming the field', async () => {
    expect(() => new MangroveClient({ baseUrl: 'http://app.gomangrove.com/api/v1', token: 'secret-token' })).toThrow(/expected an https URL/);
    expect(() => parseConfig({ ledgers: ['x'], apiBaseUrl: 'http://app.gomangrove.com/api/v1' })).toThrow(ConfigError);
    expect(() => parseConfig({ ledgers: ['x'], apiBaseUrl: 'http://app.gomangrove.com/api/v1' })).toThrow(/apiBaseUrl: expected an https URL/);
    await expect(runtimeFromEnvironment({ MANGROVE_API_URL: 'http://app.gomangrove.com/api/v1' })).rejects.toThrow(/MANGROVE_API_URL: expected an https URL/);
  });
});

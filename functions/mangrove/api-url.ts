/**
 * Where the token may be sent: over https, or over plain http to this machine only (the simulator,
 * a local proxy). Anything else would carry the token in clear text across a network.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const API_URL_EXPECTATION = 'expected an https URL such as https://app.gomangrove.com/api/v1 (plain http only to 127.0.0.1/localhost)';

export function isAllowedApiUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

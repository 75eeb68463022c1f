/** Where a step gets the Mangrove API token: Secrets Manager in AWS, an environment variable locally. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MissingTokenError } from './errors.js';

export interface TokenSource {
  get(): Promise<string>;
  /** Bypasses any cache: called once after a 401, so a rotated token is picked up without a redeploy. */
  refresh(): Promise<string>;
}

export class StaticTokenSource implements TokenSource {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  async get(): Promise<string> {
    return this.#token;
  }

  async refresh(): Promise<string> {
    return this.#token;
  }
}

export interface SecretsManagerTokenSourceOptions {
  secretId: string;
  client?: SecretsManagerClient;
  /** How long a fetched token is reused across warm invocations. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * The secret holds the token as a plain string, or as JSON `{"token": "…"}` (what the console's
 * key/value editor produces).
 */
export class SecretsManagerTokenSource implements TokenSource {
  readonly #secretId: string;
  #client: SecretsManagerClient | undefined;
  readonly #cacheMs: number;
  readonly #now: () => number;
  #cached: { token: string; fetchedAt: number } | null = null;

  constructor(options: SecretsManagerTokenSourceOptions) {
    this.#secretId = options.secretId;
    this.#client = options.client;
    this.#cacheMs = options.cacheMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    if (this.#cached && this.#now() - this.#cached.fetchedAt < this.#cacheMs) return this.#cached.token;
    return this.refresh();
  }

  async refresh(): Promise<string> {
    // Loaded on first use: only the steps that read the token pay for the SDK client.
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    this.#client ??= new SecretsManagerClient({});
    const response = await this.#client.send(new GetSecretValueCommand({ SecretId: this.#secretId }));
    const token = readToken(response.SecretString, this.#secretId);
    this.#cached = { token, fetchedAt: this.#now() };
    return token;
  }
}

/** What the deployed secret holds until the operator puts the real token. */
export const TOKEN_PLACEHOLDER = 'PUT-THE-MANGROVE-API-TOKEN-HERE';


function readToken(secretString: string | undefined, secretId: string): string {
  const raw = secretString?.trim() ?? '';
  let token = raw;
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as { token?: unknown };
      token = typeof parsed.token === 'string' ? parsed.token.trim() : '';
    } catch {
      token = '';
    }
  }
  if (!token || token === TOKEN_PLACEHOLDER) {
    throw new MissingTokenError(
      `secret ${secretId} holds no Mangrove API token: put it with "aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string <token>"`,
    );
  }
  return token;
}

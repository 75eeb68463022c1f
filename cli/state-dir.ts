/**
 * The state directory: where `run` keeps its ledger-month records between runs, and where `status`
 * and `resolve` read them. One subfolder per Mangrove API base URL, so records of two accounts never
 * meet; in it dynalite's LevelDB (`records/`) and a lock (`lock/`) that one process holds at a time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { LedgerMonthRecords } from '../functions/shared/ledger-month-record.js';
import { startLocalRecordStore, type LocalRecordStore } from '../local/record-store/local-record-store.js';
import { UsageError } from './errors.js';

export const DEFAULT_STATE_DIR = '.batch-autopilot';
/** What the folder is for, written beside the records so a person can tell folders apart. */
const ABOUT_FILE = 'mangrove.json';
const HOLDER_FILE = 'holder.json';

/** `…/api/v1` and `…/api/v1/` are one Mangrove. */
function normalized(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

/** `app.gomangrove.com-3f1c2a9b0d4e`: the host to read, a hash of the whole URL to keep paths and ports apart. */
export function stateFolderName(baseUrl: string): string {
  const url = normalized(baseUrl);
  const host = (/^https?:\/\/([^/?#]+)/i.exec(url)?.[1] ?? 'mangrove').toLowerCase().replace(/[^a-z0-9.-]+/g, '_');
  return `${host}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

export interface StateRecords {
  records: LedgerMonthRecords;
  /** Where they are kept, for people: the folder, or why only in memory. */
  where: string;
  durable: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The flag that named the directory, for messages. */
  flag: string;
  command: string;
  /**
   * A run still runs when its records cannot be kept on disk (in memory, said through `warn`); for
   * `status` and `resolve`, the records on disk are the point, so they refuse instead.
   */
  fallback: boolean;
  warn?: (line: string) => void;
  /** The records' clock (their `updatedAt`); tests fix it. */
  now?: () => number;
}

/**
 * Opens the records of `baseUrl` under `dir`. A folder held by another process is refused (its
 * LevelDB admits one process, and two runs must not each think they alone hold a month); a folder
 * that cannot be written at all falls back to memory, said in one line.
 */
export async function openStateRecords(dir: string, baseUrl: string, options: OpenOptions): Promise<StateRecords> {
  const folder = join(dir, stateFolderName(baseUrl));
  let lock: ClassicLevel | undefined;
  try {
    mkdirSync(folder, { recursive: true });
    lock = new ClassicLevel(join(folder, 'lock'));
    await lock.open();
  } catch (error) {
    await lock?.close().catch(() => {});
    if (isLocked(error)) throw new UsageError(options.flag, `${describeFolder(folder)} is in use by ${holderOf(folder)}; let it finish, then run again`, dir);
    return inMemory(`cannot keep records in ${describeFolder(folder)} (${reason(error)})`, options, dir);
  }
  // The lock is released by the OS if this process dies; the holder file only tells who holds it.
  writeFileSync(join(folder, HOLDER_FILE), JSON.stringify({ pid: process.pid, command: options.command, since: new Date().toISOString() }));
  writeFileSync(join(folder, ABOUT_FILE), `${JSON.stringify({ apiBaseUrl: normalized(baseUrl) }, null, 2)}\n`);
  let store: LocalRecordStore;
  try {
    store = await startLocalRecordStore({ path: join(folder, 'records'), now: options.now });
  } catch (error) {
    await release(folder, lock);
    return inMemory(`cannot open the records in ${describeFolder(folder)} (${reason(error)})`, options, dir);
  }
  return {
    records: store.records,
    where: describeFolder(folder),
    durable: true,
    close: async () => {
      await store.close();
      await release(folder, lock);
    },
  };
}

/** The Mangrove URLs whose records `dir` holds, for a message that asks which one. */
export function knownUrls(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    try {
      return [(JSON.parse(readFileSync(join(dir, entry, ABOUT_FILE), 'utf8')) as { apiBaseUrl: string }).apiBaseUrl];
    } catch {
      return [];
    }
  });
}

async function inMemory(problem: string, options: OpenOptions, dir: string): Promise<StateRecords> {
  if (!options.fallback) throw new UsageError(options.flag, problem, dir);
  options.warn?.(`batch-autopilot: ${problem}: records kept in memory for this ${options.command} only, so the next run will not see them\n`);
  const store = await startLocalRecordStore();
  return { records: store.records, where: 'memory (this run only)', durable: false, close: () => store.close() };
}

async function release(folder: string, lock: ClassicLevel): Promise<void> {
  rmSync(join(folder, HOLDER_FILE), { force: true });
  await lock.close();
}

function isLocked(error: unknown): boolean {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  return code === 'LEVEL_LOCKED' || cause?.code === 'LEVEL_LOCKED';
}

function holderOf(folder: string): string {
  try {
    const { pid, command, since } = JSON.parse(readFileSync(join(folder, HOLDER_FILE), 'utf8')) as { pid: number; command: string; since: string };
    return `batch-autopilot ${command} (pid ${pid}, since ${since})`;
  } catch {
    return 'another batch-autopilot process';
  }
}

function reason(error: unknown): string {
  const { code, cause, message } = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  // Node's own errors already start with their code.
  return cause?.message ?? (code && !message?.startsWith(code) ? `${code}: ${message}` : String(message ?? error));
}

/** Relative to the working directory when inside it: the path people typed, not a long absolute one. */
function describeFolder(folder: string): string {
  const inside = relative(process.cwd(), folder);
  return inside.startsWith('..') || inside === '' ? folder : inside;
}

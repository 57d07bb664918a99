/**
 * Connections to the farm's Redis. The URL is checked first (redis:// or rediss://, an
 * optional /db); then one PING with a short timeout and no reconnect loop, so that an
 * unreachable Redis is a clear error before any work starts. Only after that do the
 * long-lived connections (which BullMQ wants with unlimited retries) open.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { farmOperationalError, farmUserError } from './farm-errors.js';

const zFarmUrl = z
  .string()
  .refine((text) => URL.canParse(text), 'not a URL')
  .transform((text) => new URL(text))
  .refine((url) => url.protocol === 'redis:' || url.protocol === 'rediss:', 'the scheme must be redis:// or rediss://')
  .refine((url) => url.pathname === '' || url.pathname === '/' || /^\/\d{1,2}$/.test(url.pathname), 'the path may only be a database number, e.g. /0');

/** A checked farm URL, as a string ioredis takes. */
export function parseFarmUrl(text: string): string {
  const parsed = zFarmUrl.safeParse(text);
  if (!parsed.success) {
    throw farmUserError('FF_FARM_URL_INVALID', `--farm ${JSON.stringify(text)} is not a Redis URL: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, {
      fix: 'Give it as redis://host:6379 or redis://host:6379/2 (a database number), rediss:// for TLS; user:password@ before the host if Redis asks for a password.',
    });
  }
  return parsed.data.toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Sends one PING; rejects with FF_FARM_REDIS_UNREACHABLE within about `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: Error | null = null;
  probe.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await withTimeout(probe.connect().then(() => probe.ping()), timeoutMs + 500);
  } catch (error) {
    const reason = (lastError ?? (error as Error)).message;
    throw farmOperationalError('FF_FARM_REDIS_UNREACHABLE', `Cannot reach the farm's Redis at ${redactUrl(url)}: ${reason}.`, {
      fix: 'Start Redis there (redis-server, or deploy/farm/docker-compose.yml), check the host, port and password, and that this machine may connect to it.',
      cause: error,
    });
  } finally {
    probe.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * A long-lived connection for BullMQ (which requires maxRetriesPerRequest null). Ping first.
 * `logError` says each error once (while Redis is away every retry of this connection, and
 * of the queue or worker on it, fails alike), and again after Redis came back: give it the
 * queue's or worker's 'error' events too.
 */
export function openConnection(url: string, name: string, log: (line: string) => void): { redis: Redis; logError: (error: Error) => void } {
  const options: RedisOptions = { maxRetriesPerRequest: null, connectionName: name };
  const redis = new Redis(url, options);
  let last = '';
  const logError = (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    log(`redis: ${error.message}${redis.status === 'reconnecting' ? ' (reconnecting)' : ''}`);
  };
  redis.on('error', logError);
  redis.on('ready', () => {
    last = '';
  });
  return { redis, logError };
}

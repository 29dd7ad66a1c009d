/**
 * What a failed chunk write means for the next attempt (pure, table-tested):
 * - whether to retry at all (namespace errors, a failing source and a closed client are final;
 *   an error that names a failed server is that server's, whatever its code: chunkservers
 *   before DISK_ERROR sent their own disk's errno, e.g. EPERM, which read as final);
 * - which replica to leave out of the next lease.
 *
 * Which server failed: a chunkserver that fails because of a server down its chain should name
 * it in the `dfs-failed-server` metadata key (server id or address). Without that key, a
 * transport failure or silence of the primary itself (UNAVAILABLE / ETIMEDOUT without a
 * `dfs-code` from a server) names the primary; as a last resort a server-sent message that
 * contains exactly one replica's address or id names that replica. Lease errors (LEASE_EXPIRED,
 * STALE_VERSION, NOT_PRIMARY) name nobody: a fresh lease is enough.
 */
import type { DfsError, DfsErrorCode } from '../common/errors';
import { SourceError } from './chunk-io';

export const FAILED_SERVER_METADATA_KEY = 'dfs-failed-server';

const FINAL_CODES = new Set<DfsErrorCode>([
  'ENOENT', 'EINVAL', 'ENOTDIR', 'EISDIR', 'EFBIG', 'EACCES', 'EPERM', 'ENAMETOOLONG',
  'UPLOAD_NOT_FOUND', 'CANCELLED', 'BAD_CONFIG', 'EROFS',
]);

const LEASE_CODES = new Set<DfsErrorCode>(['LEASE_EXPIRED', 'STALE_VERSION', 'NOT_PRIMARY']);

/** The primary refused the lease (expired, not primary, other version): the master must grant anew. */
export function isLeaseError(err: DfsError): boolean {
  return LEASE_CODES.has(err.code);
}

export function isRetryableWrite(err: DfsError): boolean {
  if (err instanceof SourceError) return false;
  return !FINAL_CODES.has(err.code) || namedServerOf(err) !== undefined;
}

export interface ReplicaRef {
  serverId: string;
  address: string;
}

interface MetadataLike {
  get(key: string): unknown[];
}

/** The server a chunkserver named in the `dfs-failed-server` metadata of `err`, if any. */
function namedServerOf(err: DfsError): string | undefined {
  const metadata = (err.cause as { metadata?: MetadataLike } | undefined)?.metadata;
  const named = metadata?.get?.(FAILED_SERVER_METADATA_KEY)?.[0];
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/** The server id to exclude from the next lease after `err`, or undefined. `replicas[0]` is the primary. */
export function failedServerOf(err: DfsError, replicas: readonly ReplicaRef[]): string | undefined {
  if (LEASE_CODES.has(err.code) || replicas.length === 0) return undefined;
  const metadata = (err.cause as { metadata?: MetadataLike } | undefined)?.metadata;
  const named = namedServerOf(err);
  if (named !== undefined) {
    return replicas.find((r) => r.serverId === named || r.address === named)?.serverId ?? named;
  }
  const fromServer = typeof metadata?.get?.('dfs-code')?.[0] === 'string';
  if (!fromServer && (err.code === 'UNAVAILABLE' || err.code === 'ETIMEDOUT')) return replicas[0].serverId;
  const mentioned = replicas.filter((r) => err.message.includes(r.address) || (r.serverId !== '' && err.message.includes(r.serverId)));
  return mentioned.length === 1 ? mentioned[0].serverId : undefined;
}

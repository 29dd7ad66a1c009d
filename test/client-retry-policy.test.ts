import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { DfsError } from '../src/common/errors';
import { fromServiceError } from '../src/common/rpc';
import { failedServerOf, isRetryableWrite, FAILED_SERVER_METADATA_KEY } from '../src/client/retry-policy';
import { SourceError } from '../src/client/chunk-io';

const replicas = [
  { serverId: 'cs-a', address: '127.0.0.1:7101' },
  { serverId: 'cs-b', address: '127.0.0.1:7102' },
  { serverId: 'cs-c', address: '127.0.0.1:7103' },
];

/** A grpc-js client error as the client sees it, with optional server metadata. */
function wireError(code: grpc.status, details: string, md: Record<string, string> = {}): DfsError {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(md)) metadata.set(k, v);
  return fromServiceError(Object.assign(new Error(details), { code, details, metadata }), 'WriteChunk');
}

test('Write retry: the server named in dfs-failed-server metadata is excluded', () => {
  const err = wireError(grpc.status.UNAVAILABLE, 'downstream failed', { 'dfs-code': 'UNAVAILABLE', [FAILED_SERVER_METADATA_KEY]: 'cs-c' });
  assert.equal(failedServerOf(err, replicas), 'cs-c');
  const byAddress = wireError(grpc.status.UNAVAILABLE, 'x', { 'dfs-code': 'UNAVAILABLE', [FAILED_SERVER_METADATA_KEY]: '127.0.0.1:7102' });
  assert.equal(failedServerOf(byAddress, replicas), 'cs-b', 'an address maps back to its id');
});

test('Write retry: an unreachable or silent primary is excluded', () => {
  assert.equal(failedServerOf(wireError(grpc.status.UNAVAILABLE, 'No connection established'), replicas), 'cs-a');
  assert.equal(failedServerOf(new DfsError('ETIMEDOUT', 'no progress for 30000 ms'), replicas), 'cs-a');
});

test('Write retry: lease errors exclude nobody; a fresh lease is enough', () => {
  for (const code of ['LEASE_EXPIRED', 'STALE_VERSION', 'NOT_PRIMARY'] as const) {
    const err = wireError(grpc.status.FAILED_PRECONDITION, `cs-b says ${code}`, { 'dfs-code': code, [FAILED_SERVER_METADATA_KEY]: 'cs-b' });
    assert.equal(failedServerOf(err, replicas), undefined, code);
    assert.equal(isRetryableWrite(err), true, code);
  }
});

test('Write retry: a server error without a name excludes nobody unless its message names exactly one replica', () => {
  assert.equal(failedServerOf(wireError(grpc.status.DATA_LOSS, 'bad frame', { 'dfs-code': 'CHECKSUM_MISMATCH' }), replicas), undefined);
  assert.equal(failedServerOf(wireError(grpc.status.UNAVAILABLE, 'chain: 127.0.0.1:7103 refused', { 'dfs-code': 'UNAVAILABLE' }), replicas), 'cs-c');
  assert.equal(failedServerOf(new DfsError('EIO', 'x'), []), undefined);
});

test('Write retry: namespace errors, a failing source and a closed client are final', () => {
  for (const code of ['ENOENT', 'EINVAL', 'CANCELLED', 'UPLOAD_NOT_FOUND', 'EFBIG'] as const) {
    assert.equal(isRetryableWrite(new DfsError(code, 'x')), false, code);
  }
  assert.equal(isRetryableWrite(new SourceError('EIO', 'read failed')), false);
  for (const code of ['UNAVAILABLE', 'ETIMEDOUT', 'CHECKSUM_MISMATCH', 'NO_SERVERS', 'BAD_FRAME', 'EIO'] as const) {
    assert.equal(isRetryableWrite(new DfsError(code, 'x')), true, code);
  }
});

test('Write retry: a chunkserver\'s disk failure (DISK_ERROR naming it) is retried without that server', () => {
  const err = wireError(grpc.status.INTERNAL, 'replica cs-b at 127.0.0.1:7102 failed: chunk 9: EPERM: operation not permitted, open \'/d/chunks/09/9.chunk\'',
    { 'dfs-code': 'DISK_ERROR', [FAILED_SERVER_METADATA_KEY]: 'cs-b' });
  assert.equal(isRetryableWrite(err), true);
  assert.equal(failedServerOf(err, replicas), 'cs-b');
});

test('Write retry: an errno code that names a failed server is that server\'s, not the file\'s (chunkservers before DISK_ERROR sent their disk\'s errno)', () => {
  for (const code of ['EPERM', 'ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR'] as const) {
    const named = wireError(grpc.status.PERMISSION_DENIED, `chain replica cs-c at 127.0.0.1:7103 failed: ${code}: open '/d/chunks/4c/9548.chunk'`,
      { 'dfs-code': code, [FAILED_SERVER_METADATA_KEY]: 'cs-c' });
    assert.equal(isRetryableWrite(named), true, code);
    assert.equal(failedServerOf(named, replicas), 'cs-c', code);
    assert.equal(isRetryableWrite(wireError(grpc.status.PERMISSION_DENIED, 'x', { 'dfs-code': code })), false, `${code} naming nobody stays final`);
  }
});

/**
 * Typed master RPCs by method name. grpc-js clients overload every method, which defeats
 * inference through callUnary; the request and reply types are taken from the callback-only
 * overload instead.
 */
import type * as grpc from '@grpc/grpc-js';
import { callUnary } from '../common/rpc';
import { metaCallsOf, STREAMED_METHODS } from '../common/meta-calls';
import type { MasterClient } from '../common/rpc';

export type MasterMethod =
  | 'Stat' | 'List' | 'Mkdir' | 'Create' | 'Delete' | 'Rename' | 'SetAttr' | 'Symlink' | 'Open' | 'Release'
  | 'KeepSession' | 'GetChunks' | 'GetLease' | 'CommitWrite' | 'ReserveAppend' | 'BeginUpload' | 'CommitUpload' | 'AbortUpload'
  | 'Nodes' | 'StatFs' | 'ReportBadReplica'
  | 'Fsck' | 'SafeMode' | 'Decommission' | 'Balance'
  | 'Link' | 'Mknod' | 'SetXattr' | 'GetXattr' | 'ListXattr' | 'RemoveXattr'
  | 'Lock' | 'GetLock' | 'EndSession';

type Signature<K extends MasterMethod> = MasterClient[K] extends (argument: infer Req, callback: grpc.requestCallback<infer Res>) => grpc.ClientUnaryCall
  ? { req: Req; res: Res }
  : never;

export type RequestOf<K extends MasterMethod> = Signature<K>['req'];
export type ReplyOf<K extends MasterMethod> = Signature<K>['res'];

/**
 * Calls master method `name` with a deadline of `timeoutMs`; rejects with a DfsError. Namespace
 * and data-path methods go on the client's multiplexed Calls stream (common/meta-calls.ts).
 */
export function masterCall<K extends MasterMethod>(client: MasterClient, name: K, req: RequestOf<K>, timeoutMs: number): Promise<ReplyOf<K>> {
  if (STREAMED_METHODS.has(name)) return metaCallsOf(client).call<ReplyOf<K>>(name, req, timeoutMs);
  const method = client[name] as unknown as Parameters<typeof callUnary<RequestOf<K>, ReplyOf<K>>>[1];
  return callUnary(client, method, req, timeoutMs);
}

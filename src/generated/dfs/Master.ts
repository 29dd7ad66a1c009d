// Original file: proto/dfs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbortUploadRequest as _dfs_AbortUploadRequest, AbortUploadRequest__Output as _dfs_AbortUploadRequest__Output } from '../dfs/AbortUploadRequest';
import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';
import type { BadReplicaReport as _dfs_BadReplicaReport, BadReplicaReport__Output as _dfs_BadReplicaReport__Output } from '../dfs/BadReplicaReport';
import type { BalanceReply as _dfs_BalanceReply, BalanceReply__Output as _dfs_BalanceReply__Output } from '../dfs/BalanceReply';
import type { BalanceRequest as _dfs_BalanceRequest, BalanceRequest__Output as _dfs_BalanceRequest__Output } from '../dfs/BalanceRequest';
import type { BeginUploadReply as _dfs_BeginUploadReply, BeginUploadReply__Output as _dfs_BeginUploadReply__Output } from '../dfs/BeginUploadReply';
import type { BeginUploadRequest as _dfs_BeginUploadRequest, BeginUploadRequest__Output as _dfs_BeginUploadRequest__Output } from '../dfs/BeginUploadRequest';
import type { ChunkLease as _dfs_ChunkLease, ChunkLease__Output as _dfs_ChunkLease__Output } from '../dfs/ChunkLease';
import type { CommitUploadRequest as _dfs_CommitUploadRequest, CommitUploadRequest__Output as _dfs_CommitUploadRequest__Output } from '../dfs/CommitUploadRequest';
import type { CommitWriteRequest as _dfs_CommitWriteRequest, CommitWriteRequest__Output as _dfs_CommitWriteRequest__Output } from '../dfs/CommitWriteRequest';
import type { CreateReply as _dfs_CreateReply, CreateReply__Output as _dfs_CreateReply__Output } from '../dfs/CreateReply';
import type { CreateRequest as _dfs_CreateRequest, CreateRequest__Output as _dfs_CreateRequest__Output } from '../dfs/CreateRequest';
import type { DecommissionReply as _dfs_DecommissionReply, DecommissionReply__Output as _dfs_DecommissionReply__Output } from '../dfs/DecommissionReply';
import type { DecommissionRequest as _dfs_DecommissionRequest, DecommissionRequest__Output as _dfs_DecommissionRequest__Output } from '../dfs/DecommissionRequest';
import type { DeleteReply as _dfs_DeleteReply, DeleteReply__Output as _dfs_DeleteReply__Output } from '../dfs/DeleteReply';
import type { DeleteRequest as _dfs_DeleteRequest, DeleteRequest__Output as _dfs_DeleteRequest__Output } from '../dfs/DeleteRequest';
import type { Empty as _dfs_Empty, Empty__Output as _dfs_Empty__Output } from '../dfs/Empty';
import type { FsckReply as _dfs_FsckReply, FsckReply__Output as _dfs_FsckReply__Output } from '../dfs/FsckReply';
import type { FsckRequest as _dfs_FsckRequest, FsckRequest__Output as _dfs_FsckRequest__Output } from '../dfs/FsckRequest';
import type { GetChunksReply as _dfs_GetChunksReply, GetChunksReply__Output as _dfs_GetChunksReply__Output } from '../dfs/GetChunksReply';
import type { GetChunksRequest as _dfs_GetChunksRequest, GetChunksRequest__Output as _dfs_GetChunksRequest__Output } from '../dfs/GetChunksRequest';
import type { HeartbeatReply as _dfs_HeartbeatReply, HeartbeatReply__Output as _dfs_HeartbeatReply__Output } from '../dfs/HeartbeatReply';
import type { HeartbeatRequest as _dfs_HeartbeatRequest, HeartbeatRequest__Output as _dfs_HeartbeatRequest__Output } from '../dfs/HeartbeatRequest';
import type { LeaseRequest as _dfs_LeaseRequest, LeaseRequest__Output as _dfs_LeaseRequest__Output } from '../dfs/LeaseRequest';
import type { LinkRequest as _dfs_LinkRequest, LinkRequest__Output as _dfs_LinkRequest__Output } from '../dfs/LinkRequest';
import type { ListReply as _dfs_ListReply, ListReply__Output as _dfs_ListReply__Output } from '../dfs/ListReply';
import type { ListRequest as _dfs_ListRequest, ListRequest__Output as _dfs_ListRequest__Output } from '../dfs/ListRequest';
import type { LockInfoReply as _dfs_LockInfoReply, LockInfoReply__Output as _dfs_LockInfoReply__Output } from '../dfs/LockInfoReply';
import type { LockReply as _dfs_LockReply, LockReply__Output as _dfs_LockReply__Output } from '../dfs/LockReply';
import type { LockRequest as _dfs_LockRequest, LockRequest__Output as _dfs_LockRequest__Output } from '../dfs/LockRequest';
import type { MetaCall as _dfs_MetaCall, MetaCall__Output as _dfs_MetaCall__Output } from '../dfs/MetaCall';
import type { MetaResult as _dfs_MetaResult, MetaResult__Output as _dfs_MetaResult__Output } from '../dfs/MetaResult';
import type { MkdirRequest as _dfs_MkdirRequest, MkdirRequest__Output as _dfs_MkdirRequest__Output } from '../dfs/MkdirRequest';
import type { MknodRequest as _dfs_MknodRequest, MknodRequest__Output as _dfs_MknodRequest__Output } from '../dfs/MknodRequest';
import type { NodesReply as _dfs_NodesReply, NodesReply__Output as _dfs_NodesReply__Output } from '../dfs/NodesReply';
import type { OpenRequest as _dfs_OpenRequest, OpenRequest__Output as _dfs_OpenRequest__Output } from '../dfs/OpenRequest';
import type { PathRequest as _dfs_PathRequest, PathRequest__Output as _dfs_PathRequest__Output } from '../dfs/PathRequest';
import type { RegisterReply as _dfs_RegisterReply, RegisterReply__Output as _dfs_RegisterReply__Output } from '../dfs/RegisterReply';
import type { RegisterRequest as _dfs_RegisterRequest, RegisterRequest__Output as _dfs_RegisterRequest__Output } from '../dfs/RegisterRequest';
import type { ReleaseRequest as _dfs_ReleaseRequest, ReleaseRequest__Output as _dfs_ReleaseRequest__Output } from '../dfs/ReleaseRequest';
import type { RenameRequest as _dfs_RenameRequest, RenameRequest__Output as _dfs_RenameRequest__Output } from '../dfs/RenameRequest';
import type { ReserveAppendReply as _dfs_ReserveAppendReply, ReserveAppendReply__Output as _dfs_ReserveAppendReply__Output } from '../dfs/ReserveAppendReply';
import type { ReserveAppendRequest as _dfs_ReserveAppendRequest, ReserveAppendRequest__Output as _dfs_ReserveAppendRequest__Output } from '../dfs/ReserveAppendRequest';
import type { SafeModeReply as _dfs_SafeModeReply, SafeModeReply__Output as _dfs_SafeModeReply__Output } from '../dfs/SafeModeReply';
import type { SafeModeRequest as _dfs_SafeModeRequest, SafeModeRequest__Output as _dfs_SafeModeRequest__Output } from '../dfs/SafeModeRequest';
import type { SessionReply as _dfs_SessionReply, SessionReply__Output as _dfs_SessionReply__Output } from '../dfs/SessionReply';
import type { SessionRequest as _dfs_SessionRequest, SessionRequest__Output as _dfs_SessionRequest__Output } from '../dfs/SessionRequest';
import type { SetAttrRequest as _dfs_SetAttrRequest, SetAttrRequest__Output as _dfs_SetAttrRequest__Output } from '../dfs/SetAttrRequest';
import type { SetXattrRequest as _dfs_SetXattrRequest, SetXattrRequest__Output as _dfs_SetXattrRequest__Output } from '../dfs/SetXattrRequest';
import type { StatFsReply as _dfs_StatFsReply, StatFsReply__Output as _dfs_StatFsReply__Output } from '../dfs/StatFsReply';
import type { SymlinkRequest as _dfs_SymlinkRequest, SymlinkRequest__Output as _dfs_SymlinkRequest__Output } from '../dfs/SymlinkRequest';
import type { XattrNames as _dfs_XattrNames, XattrNames__Output as _dfs_XattrNames__Output } from '../dfs/XattrNames';
import type { XattrRequest as _dfs_XattrRequest, XattrRequest__Output as _dfs_XattrRequest__Output } from '../dfs/XattrRequest';
import type { XattrValue as _dfs_XattrValue, XattrValue__Output as _dfs_XattrValue__Output } from '../dfs/XattrValue';

export interface MasterClient extends grpc.Client {
  AbortUpload(argument: _dfs_AbortUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _dfs_AbortUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _dfs_AbortUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _dfs_AbortUploadRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _dfs_AbortUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _dfs_AbortUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _dfs_AbortUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _dfs_AbortUploadRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  Balance(argument: _dfs_BalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  Balance(argument: _dfs_BalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  Balance(argument: _dfs_BalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  Balance(argument: _dfs_BalanceRequest, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  balance(argument: _dfs_BalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  balance(argument: _dfs_BalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  balance(argument: _dfs_BalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  balance(argument: _dfs_BalanceRequest, callback: grpc.requestCallback<_dfs_BalanceReply__Output>): grpc.ClientUnaryCall;
  
  BeginUpload(argument: _dfs_BeginUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _dfs_BeginUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _dfs_BeginUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _dfs_BeginUploadRequest, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _dfs_BeginUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _dfs_BeginUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _dfs_BeginUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _dfs_BeginUploadRequest, callback: grpc.requestCallback<_dfs_BeginUploadReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Unary calls multiplexed on one stream per client (MetaCall/MetaResult); results may come
   * back in any order.
   */
  Calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  Calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  /**
   * Unary calls multiplexed on one stream per client (MetaCall/MetaResult); results may come
   * back in any order.
   */
  calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  
  CommitUpload(argument: _dfs_CommitUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitUpload(argument: _dfs_CommitUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitUpload(argument: _dfs_CommitUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitUpload(argument: _dfs_CommitUploadRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitUpload(argument: _dfs_CommitUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitUpload(argument: _dfs_CommitUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitUpload(argument: _dfs_CommitUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitUpload(argument: _dfs_CommitUploadRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  CommitWrite(argument: _dfs_CommitWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _dfs_CommitWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _dfs_CommitWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _dfs_CommitWriteRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _dfs_CommitWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _dfs_CommitWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _dfs_CommitWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _dfs_CommitWriteRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _dfs_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _dfs_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _dfs_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _dfs_CreateRequest, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  create(argument: _dfs_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  create(argument: _dfs_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  create(argument: _dfs_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  create(argument: _dfs_CreateRequest, callback: grpc.requestCallback<_dfs_CreateReply__Output>): grpc.ClientUnaryCall;
  
  Decommission(argument: _dfs_DecommissionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  Decommission(argument: _dfs_DecommissionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  Decommission(argument: _dfs_DecommissionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  Decommission(argument: _dfs_DecommissionRequest, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  decommission(argument: _dfs_DecommissionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  decommission(argument: _dfs_DecommissionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  decommission(argument: _dfs_DecommissionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  decommission(argument: _dfs_DecommissionRequest, callback: grpc.requestCallback<_dfs_DecommissionReply__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _dfs_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dfs_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dfs_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dfs_DeleteRequest, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  delete(argument: _dfs_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  delete(argument: _dfs_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  delete(argument: _dfs_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  delete(argument: _dfs_DeleteRequest, callback: grpc.requestCallback<_dfs_DeleteReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * the mount unmounts: its locks and open files go now instead of after the session timeout
   */
  EndSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  EndSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  EndSession(argument: _dfs_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  EndSession(argument: _dfs_SessionRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * the mount unmounts: its locks and open files go now instead of after the session timeout
   */
  endSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  endSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  endSession(argument: _dfs_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  endSession(argument: _dfs_SessionRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * administration (issue 4)
   */
  Fsck(argument: _dfs_FsckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _dfs_FsckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _dfs_FsckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _dfs_FsckRequest, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  /**
   * administration (issue 4)
   */
  fsck(argument: _dfs_FsckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _dfs_FsckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _dfs_FsckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _dfs_FsckRequest, callback: grpc.requestCallback<_dfs_FsckReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * data
   */
  GetChunks(argument: _dfs_GetChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  GetChunks(argument: _dfs_GetChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  GetChunks(argument: _dfs_GetChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  GetChunks(argument: _dfs_GetChunksRequest, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  /**
   * data
   */
  getChunks(argument: _dfs_GetChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  getChunks(argument: _dfs_GetChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  getChunks(argument: _dfs_GetChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  getChunks(argument: _dfs_GetChunksRequest, callback: grpc.requestCallback<_dfs_GetChunksReply__Output>): grpc.ClientUnaryCall;
  
  GetLease(argument: _dfs_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  GetLease(argument: _dfs_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  GetLease(argument: _dfs_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  GetLease(argument: _dfs_LeaseRequest, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  getLease(argument: _dfs_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  getLease(argument: _dfs_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  getLease(argument: _dfs_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  getLease(argument: _dfs_LeaseRequest, callback: grpc.requestCallback<_dfs_ChunkLease__Output>): grpc.ClientUnaryCall;
  
  GetLock(argument: _dfs_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  GetLock(argument: _dfs_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  GetLock(argument: _dfs_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  GetLock(argument: _dfs_LockRequest, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  getLock(argument: _dfs_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  getLock(argument: _dfs_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  getLock(argument: _dfs_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  getLock(argument: _dfs_LockRequest, callback: grpc.requestCallback<_dfs_LockInfoReply__Output>): grpc.ClientUnaryCall;
  
  GetXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _dfs_XattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _dfs_XattrRequest, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _dfs_XattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _dfs_XattrRequest, callback: grpc.requestCallback<_dfs_XattrValue__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_HeartbeatRequest, _dfs_HeartbeatReply__Output>;
  Heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_HeartbeatRequest, _dfs_HeartbeatReply__Output>;
  heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_HeartbeatRequest, _dfs_HeartbeatReply__Output>;
  heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_HeartbeatRequest, _dfs_HeartbeatReply__Output>;
  
  KeepSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  KeepSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  KeepSession(argument: _dfs_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  KeepSession(argument: _dfs_SessionRequest, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  keepSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  keepSession(argument: _dfs_SessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  keepSession(argument: _dfs_SessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  keepSession(argument: _dfs_SessionRequest, callback: grpc.requestCallback<_dfs_SessionReply__Output>): grpc.ClientUnaryCall;
  
  Link(argument: _dfs_LinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Link(argument: _dfs_LinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Link(argument: _dfs_LinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Link(argument: _dfs_LinkRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  link(argument: _dfs_LinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  link(argument: _dfs_LinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  link(argument: _dfs_LinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  link(argument: _dfs_LinkRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  List(argument: _dfs_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _dfs_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _dfs_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  List(argument: _dfs_ListRequest, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _dfs_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _dfs_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _dfs_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  list(argument: _dfs_ListRequest, callback: grpc.requestCallback<_dfs_ListReply__Output>): grpc.ClientUnaryCall;
  
  ListXattr(argument: _dfs_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _dfs_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _dfs_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _dfs_PathRequest, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _dfs_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _dfs_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _dfs_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _dfs_PathRequest, callback: grpc.requestCallback<_dfs_XattrNames__Output>): grpc.ClientUnaryCall;
  
  Lock(argument: _dfs_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _dfs_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _dfs_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _dfs_LockRequest, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _dfs_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _dfs_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _dfs_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _dfs_LockRequest, callback: grpc.requestCallback<_dfs_LockReply__Output>): grpc.ClientUnaryCall;
  
  Mkdir(argument: _dfs_MkdirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _dfs_MkdirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _dfs_MkdirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _dfs_MkdirRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _dfs_MkdirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _dfs_MkdirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _dfs_MkdirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _dfs_MkdirRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  Mknod(argument: _dfs_MknodRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mknod(argument: _dfs_MknodRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mknod(argument: _dfs_MknodRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Mknod(argument: _dfs_MknodRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mknod(argument: _dfs_MknodRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mknod(argument: _dfs_MknodRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mknod(argument: _dfs_MknodRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  mknod(argument: _dfs_MknodRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  /**
   * cluster
   */
  Nodes(argument: _dfs_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _dfs_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _dfs_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _dfs_Empty, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  /**
   * cluster
   */
  nodes(argument: _dfs_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _dfs_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _dfs_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _dfs_Empty, callback: grpc.requestCallback<_dfs_NodesReply__Output>): grpc.ClientUnaryCall;
  
  Open(argument: _dfs_OpenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Open(argument: _dfs_OpenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Open(argument: _dfs_OpenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Open(argument: _dfs_OpenRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  open(argument: _dfs_OpenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  open(argument: _dfs_OpenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  open(argument: _dfs_OpenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  open(argument: _dfs_OpenRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  Register(argument: _dfs_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _dfs_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _dfs_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  Register(argument: _dfs_RegisterRequest, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _dfs_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _dfs_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _dfs_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  register(argument: _dfs_RegisterRequest, callback: grpc.requestCallback<_dfs_RegisterReply__Output>): grpc.ClientUnaryCall;
  
  Release(argument: _dfs_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Release(argument: _dfs_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Release(argument: _dfs_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Release(argument: _dfs_ReleaseRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  release(argument: _dfs_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  release(argument: _dfs_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  release(argument: _dfs_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  release(argument: _dfs_ReleaseRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  RemoveXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _dfs_XattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _dfs_XattrRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _dfs_XattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _dfs_XattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _dfs_XattrRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  Rename(argument: _dfs_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _dfs_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _dfs_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _dfs_RenameRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _dfs_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _dfs_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _dfs_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _dfs_RenameRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  ReportBadReplica(argument: _dfs_BadReplicaReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _dfs_BadReplicaReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _dfs_BadReplicaReport, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _dfs_BadReplicaReport, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _dfs_BadReplicaReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _dfs_BadReplicaReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _dfs_BadReplicaReport, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _dfs_BadReplicaReport, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  ReserveAppend(argument: _dfs_ReserveAppendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  ReserveAppend(argument: _dfs_ReserveAppendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  ReserveAppend(argument: _dfs_ReserveAppendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  ReserveAppend(argument: _dfs_ReserveAppendRequest, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  reserveAppend(argument: _dfs_ReserveAppendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  reserveAppend(argument: _dfs_ReserveAppendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  reserveAppend(argument: _dfs_ReserveAppendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  reserveAppend(argument: _dfs_ReserveAppendRequest, callback: grpc.requestCallback<_dfs_ReserveAppendReply__Output>): grpc.ClientUnaryCall;
  
  SafeMode(argument: _dfs_SafeModeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  SafeMode(argument: _dfs_SafeModeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  SafeMode(argument: _dfs_SafeModeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  SafeMode(argument: _dfs_SafeModeRequest, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  safeMode(argument: _dfs_SafeModeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  safeMode(argument: _dfs_SafeModeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  safeMode(argument: _dfs_SafeModeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  safeMode(argument: _dfs_SafeModeRequest, callback: grpc.requestCallback<_dfs_SafeModeReply__Output>): grpc.ClientUnaryCall;
  
  SetAttr(argument: _dfs_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _dfs_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _dfs_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _dfs_SetAttrRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _dfs_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _dfs_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _dfs_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _dfs_SetAttrRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  SetXattr(argument: _dfs_SetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _dfs_SetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _dfs_SetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _dfs_SetXattrRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _dfs_SetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _dfs_SetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _dfs_SetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _dfs_SetXattrRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * namespace
   */
  Stat(argument: _dfs_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Stat(argument: _dfs_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Stat(argument: _dfs_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Stat(argument: _dfs_PathRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  /**
   * namespace
   */
  stat(argument: _dfs_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  stat(argument: _dfs_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  stat(argument: _dfs_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  stat(argument: _dfs_PathRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
  StatFs(argument: _dfs_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _dfs_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _dfs_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _dfs_Empty, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _dfs_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _dfs_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _dfs_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _dfs_Empty, callback: grpc.requestCallback<_dfs_StatFsReply__Output>): grpc.ClientUnaryCall;
  
  Symlink(argument: _dfs_SymlinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Symlink(argument: _dfs_SymlinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Symlink(argument: _dfs_SymlinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  Symlink(argument: _dfs_SymlinkRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  symlink(argument: _dfs_SymlinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  symlink(argument: _dfs_SymlinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  symlink(argument: _dfs_SymlinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  symlink(argument: _dfs_SymlinkRequest, callback: grpc.requestCallback<_dfs_Attr__Output>): grpc.ClientUnaryCall;
  
}

export interface MasterHandlers extends grpc.UntypedServiceImplementation {
  AbortUpload: grpc.handleUnaryCall<_dfs_AbortUploadRequest__Output, _dfs_Empty>;
  
  Balance: grpc.handleUnaryCall<_dfs_BalanceRequest__Output, _dfs_BalanceReply>;
  
  BeginUpload: grpc.handleUnaryCall<_dfs_BeginUploadRequest__Output, _dfs_BeginUploadReply>;
  
  /**
   * Unary calls multiplexed on one stream per client (MetaCall/MetaResult); results may come
   * back in any order.
   */
  Calls: grpc.handleBidiStreamingCall<_dfs_MetaCall__Output, _dfs_MetaResult>;
  
  CommitUpload: grpc.handleUnaryCall<_dfs_CommitUploadRequest__Output, _dfs_Attr>;
  
  CommitWrite: grpc.handleUnaryCall<_dfs_CommitWriteRequest__Output, _dfs_Attr>;
  
  Create: grpc.handleUnaryCall<_dfs_CreateRequest__Output, _dfs_CreateReply>;
  
  Decommission: grpc.handleUnaryCall<_dfs_DecommissionRequest__Output, _dfs_DecommissionReply>;
  
  Delete: grpc.handleUnaryCall<_dfs_DeleteRequest__Output, _dfs_DeleteReply>;
  
  /**
   * the mount unmounts: its locks and open files go now instead of after the session timeout
   */
  EndSession: grpc.handleUnaryCall<_dfs_SessionRequest__Output, _dfs_Empty>;
  
  /**
   * administration (issue 4)
   */
  Fsck: grpc.handleUnaryCall<_dfs_FsckRequest__Output, _dfs_FsckReply>;
  
  /**
   * data
   */
  GetChunks: grpc.handleUnaryCall<_dfs_GetChunksRequest__Output, _dfs_GetChunksReply>;
  
  GetLease: grpc.handleUnaryCall<_dfs_LeaseRequest__Output, _dfs_ChunkLease>;
  
  GetLock: grpc.handleUnaryCall<_dfs_LockRequest__Output, _dfs_LockInfoReply>;
  
  GetXattr: grpc.handleUnaryCall<_dfs_XattrRequest__Output, _dfs_XattrValue>;
  
  Heartbeat: grpc.handleBidiStreamingCall<_dfs_HeartbeatRequest__Output, _dfs_HeartbeatReply>;
  
  KeepSession: grpc.handleUnaryCall<_dfs_SessionRequest__Output, _dfs_SessionReply>;
  
  Link: grpc.handleUnaryCall<_dfs_LinkRequest__Output, _dfs_Attr>;
  
  List: grpc.handleUnaryCall<_dfs_ListRequest__Output, _dfs_ListReply>;
  
  ListXattr: grpc.handleUnaryCall<_dfs_PathRequest__Output, _dfs_XattrNames>;
  
  Lock: grpc.handleUnaryCall<_dfs_LockRequest__Output, _dfs_LockReply>;
  
  Mkdir: grpc.handleUnaryCall<_dfs_MkdirRequest__Output, _dfs_Attr>;
  
  Mknod: grpc.handleUnaryCall<_dfs_MknodRequest__Output, _dfs_Attr>;
  
  /**
   * cluster
   */
  Nodes: grpc.handleUnaryCall<_dfs_Empty__Output, _dfs_NodesReply>;
  
  Open: grpc.handleUnaryCall<_dfs_OpenRequest__Output, _dfs_Attr>;
  
  Register: grpc.handleUnaryCall<_dfs_RegisterRequest__Output, _dfs_RegisterReply>;
  
  Release: grpc.handleUnaryCall<_dfs_ReleaseRequest__Output, _dfs_Empty>;
  
  RemoveXattr: grpc.handleUnaryCall<_dfs_XattrRequest__Output, _dfs_Empty>;
  
  Rename: grpc.handleUnaryCall<_dfs_RenameRequest__Output, _dfs_Empty>;
  
  ReportBadReplica: grpc.handleUnaryCall<_dfs_BadReplicaReport__Output, _dfs_Empty>;
  
  ReserveAppend: grpc.handleUnaryCall<_dfs_ReserveAppendRequest__Output, _dfs_ReserveAppendReply>;
  
  SafeMode: grpc.handleUnaryCall<_dfs_SafeModeRequest__Output, _dfs_SafeModeReply>;
  
  SetAttr: grpc.handleUnaryCall<_dfs_SetAttrRequest__Output, _dfs_Attr>;
  
  SetXattr: grpc.handleUnaryCall<_dfs_SetXattrRequest__Output, _dfs_Empty>;
  
  /**
   * namespace
   */
  Stat: grpc.handleUnaryCall<_dfs_PathRequest__Output, _dfs_Attr>;
  
  StatFs: grpc.handleUnaryCall<_dfs_Empty__Output, _dfs_StatFsReply>;
  
  Symlink: grpc.handleUnaryCall<_dfs_SymlinkRequest__Output, _dfs_Attr>;
  
}

export interface MasterDefinition extends grpc.ServiceDefinition {
  AbortUpload: MethodDefinition<_dfs_AbortUploadRequest, _dfs_Empty, _dfs_AbortUploadRequest__Output, _dfs_Empty__Output>
  Balance: MethodDefinition<_dfs_BalanceRequest, _dfs_BalanceReply, _dfs_BalanceRequest__Output, _dfs_BalanceReply__Output>
  BeginUpload: MethodDefinition<_dfs_BeginUploadRequest, _dfs_BeginUploadReply, _dfs_BeginUploadRequest__Output, _dfs_BeginUploadReply__Output>
  Calls: MethodDefinition<_dfs_MetaCall, _dfs_MetaResult, _dfs_MetaCall__Output, _dfs_MetaResult__Output>
  CommitUpload: MethodDefinition<_dfs_CommitUploadRequest, _dfs_Attr, _dfs_CommitUploadRequest__Output, _dfs_Attr__Output>
  CommitWrite: MethodDefinition<_dfs_CommitWriteRequest, _dfs_Attr, _dfs_CommitWriteRequest__Output, _dfs_Attr__Output>
  Create: MethodDefinition<_dfs_CreateRequest, _dfs_CreateReply, _dfs_CreateRequest__Output, _dfs_CreateReply__Output>
  Decommission: MethodDefinition<_dfs_DecommissionRequest, _dfs_DecommissionReply, _dfs_DecommissionRequest__Output, _dfs_DecommissionReply__Output>
  Delete: MethodDefinition<_dfs_DeleteRequest, _dfs_DeleteReply, _dfs_DeleteRequest__Output, _dfs_DeleteReply__Output>
  EndSession: MethodDefinition<_dfs_SessionRequest, _dfs_Empty, _dfs_SessionRequest__Output, _dfs_Empty__Output>
  Fsck: MethodDefinition<_dfs_FsckRequest, _dfs_FsckReply, _dfs_FsckRequest__Output, _dfs_FsckReply__Output>
  GetChunks: MethodDefinition<_dfs_GetChunksRequest, _dfs_GetChunksReply, _dfs_GetChunksRequest__Output, _dfs_GetChunksReply__Output>
  GetLease: MethodDefinition<_dfs_LeaseRequest, _dfs_ChunkLease, _dfs_LeaseRequest__Output, _dfs_ChunkLease__Output>
  GetLock: MethodDefinition<_dfs_LockRequest, _dfs_LockInfoReply, _dfs_LockRequest__Output, _dfs_LockInfoReply__Output>
  GetXattr: MethodDefinition<_dfs_XattrRequest, _dfs_XattrValue, _dfs_XattrRequest__Output, _dfs_XattrValue__Output>
  Heartbeat: MethodDefinition<_dfs_HeartbeatRequest, _dfs_HeartbeatReply, _dfs_HeartbeatRequest__Output, _dfs_HeartbeatReply__Output>
  KeepSession: MethodDefinition<_dfs_SessionRequest, _dfs_SessionReply, _dfs_SessionRequest__Output, _dfs_SessionReply__Output>
  Link: MethodDefinition<_dfs_LinkRequest, _dfs_Attr, _dfs_LinkRequest__Output, _dfs_Attr__Output>
  List: MethodDefinition<_dfs_ListRequest, _dfs_ListReply, _dfs_ListRequest__Output, _dfs_ListReply__Output>
  ListXattr: MethodDefinition<_dfs_PathRequest, _dfs_XattrNames, _dfs_PathRequest__Output, _dfs_XattrNames__Output>
  Lock: MethodDefinition<_dfs_LockRequest, _dfs_LockReply, _dfs_LockRequest__Output, _dfs_LockReply__Output>
  Mkdir: MethodDefinition<_dfs_MkdirRequest, _dfs_Attr, _dfs_MkdirRequest__Output, _dfs_Attr__Output>
  Mknod: MethodDefinition<_dfs_MknodRequest, _dfs_Attr, _dfs_MknodRequest__Output, _dfs_Attr__Output>
  Nodes: MethodDefinition<_dfs_Empty, _dfs_NodesReply, _dfs_Empty__Output, _dfs_NodesReply__Output>
  Open: MethodDefinition<_dfs_OpenRequest, _dfs_Attr, _dfs_OpenRequest__Output, _dfs_Attr__Output>
  Register: MethodDefinition<_dfs_RegisterRequest, _dfs_RegisterReply, _dfs_RegisterRequest__Output, _dfs_RegisterReply__Output>
  Release: MethodDefinition<_dfs_ReleaseRequest, _dfs_Empty, _dfs_ReleaseRequest__Output, _dfs_Empty__Output>
  RemoveXattr: MethodDefinition<_dfs_XattrRequest, _dfs_Empty, _dfs_XattrRequest__Output, _dfs_Empty__Output>
  Rename: MethodDefinition<_dfs_RenameRequest, _dfs_Empty, _dfs_RenameRequest__Output, _dfs_Empty__Output>
  ReportBadReplica: MethodDefinition<_dfs_BadReplicaReport, _dfs_Empty, _dfs_BadReplicaReport__Output, _dfs_Empty__Output>
  ReserveAppend: MethodDefinition<_dfs_ReserveAppendRequest, _dfs_ReserveAppendReply, _dfs_ReserveAppendRequest__Output, _dfs_ReserveAppendReply__Output>
  SafeMode: MethodDefinition<_dfs_SafeModeRequest, _dfs_SafeModeReply, _dfs_SafeModeRequest__Output, _dfs_SafeModeReply__Output>
  SetAttr: MethodDefinition<_dfs_SetAttrRequest, _dfs_Attr, _dfs_SetAttrRequest__Output, _dfs_Attr__Output>
  SetXattr: MethodDefinition<_dfs_SetXattrRequest, _dfs_Empty, _dfs_SetXattrRequest__Output, _dfs_Empty__Output>
  Stat: MethodDefinition<_dfs_PathRequest, _dfs_Attr, _dfs_PathRequest__Output, _dfs_Attr__Output>
  StatFs: MethodDefinition<_dfs_Empty, _dfs_StatFsReply, _dfs_Empty__Output, _dfs_StatFsReply__Output>
  Symlink: MethodDefinition<_dfs_SymlinkRequest, _dfs_Attr, _dfs_SymlinkRequest__Output, _dfs_Attr__Output>
}

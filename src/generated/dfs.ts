import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AbortUploadRequest as _dfs_AbortUploadRequest, AbortUploadRequest__Output as _dfs_AbortUploadRequest__Output } from './dfs/AbortUploadRequest';
import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from './dfs/Attr';
import type { BadReplicaReport as _dfs_BadReplicaReport, BadReplicaReport__Output as _dfs_BadReplicaReport__Output } from './dfs/BadReplicaReport';
import type { BalanceReply as _dfs_BalanceReply, BalanceReply__Output as _dfs_BalanceReply__Output } from './dfs/BalanceReply';
import type { BalanceRequest as _dfs_BalanceRequest, BalanceRequest__Output as _dfs_BalanceRequest__Output } from './dfs/BalanceRequest';
import type { BalanceServer as _dfs_BalanceServer, BalanceServer__Output as _dfs_BalanceServer__Output } from './dfs/BalanceServer';
import type { BeginUploadReply as _dfs_BeginUploadReply, BeginUploadReply__Output as _dfs_BeginUploadReply__Output } from './dfs/BeginUploadReply';
import type { BeginUploadRequest as _dfs_BeginUploadRequest, BeginUploadRequest__Output as _dfs_BeginUploadRequest__Output } from './dfs/BeginUploadRequest';
import type { ByteRange as _dfs_ByteRange, ByteRange__Output as _dfs_ByteRange__Output } from './dfs/ByteRange';
import type { ChunkInfo as _dfs_ChunkInfo, ChunkInfo__Output as _dfs_ChunkInfo__Output } from './dfs/ChunkInfo';
import type { ChunkLease as _dfs_ChunkLease, ChunkLease__Output as _dfs_ChunkLease__Output } from './dfs/ChunkLease';
import type { ChunkRef as _dfs_ChunkRef, ChunkRef__Output as _dfs_ChunkRef__Output } from './dfs/ChunkRef';
import type { ChunkReplica as _dfs_ChunkReplica, ChunkReplica__Output as _dfs_ChunkReplica__Output } from './dfs/ChunkReplica';
import type { ChunkReport as _dfs_ChunkReport, ChunkReport__Output as _dfs_ChunkReport__Output } from './dfs/ChunkReport';
import type { ChunkStatReply as _dfs_ChunkStatReply, ChunkStatReply__Output as _dfs_ChunkStatReply__Output } from './dfs/ChunkStatReply';
import type { ChunkStatRequest as _dfs_ChunkStatRequest, ChunkStatRequest__Output as _dfs_ChunkStatRequest__Output } from './dfs/ChunkStatRequest';
import type { ChunkserverClient as _dfs_ChunkserverClient, ChunkserverDefinition as _dfs_ChunkserverDefinition } from './dfs/Chunkserver';
import type { CommitUploadRequest as _dfs_CommitUploadRequest, CommitUploadRequest__Output as _dfs_CommitUploadRequest__Output } from './dfs/CommitUploadRequest';
import type { CommitWriteRequest as _dfs_CommitWriteRequest, CommitWriteRequest__Output as _dfs_CommitWriteRequest__Output } from './dfs/CommitWriteRequest';
import type { CreateReply as _dfs_CreateReply, CreateReply__Output as _dfs_CreateReply__Output } from './dfs/CreateReply';
import type { CreateRequest as _dfs_CreateRequest, CreateRequest__Output as _dfs_CreateRequest__Output } from './dfs/CreateRequest';
import type { DataFrame as _dfs_DataFrame, DataFrame__Output as _dfs_DataFrame__Output } from './dfs/DataFrame';
import type { DecommissionReply as _dfs_DecommissionReply, DecommissionReply__Output as _dfs_DecommissionReply__Output } from './dfs/DecommissionReply';
import type { DecommissionRequest as _dfs_DecommissionRequest, DecommissionRequest__Output as _dfs_DecommissionRequest__Output } from './dfs/DecommissionRequest';
import type { DeleteReply as _dfs_DeleteReply, DeleteReply__Output as _dfs_DeleteReply__Output } from './dfs/DeleteReply';
import type { DeleteRequest as _dfs_DeleteRequest, DeleteRequest__Output as _dfs_DeleteRequest__Output } from './dfs/DeleteRequest';
import type { DirEntry as _dfs_DirEntry, DirEntry__Output as _dfs_DirEntry__Output } from './dfs/DirEntry';
import type { Empty as _dfs_Empty, Empty__Output as _dfs_Empty__Output } from './dfs/Empty';
import type { FsckProblem as _dfs_FsckProblem, FsckProblem__Output as _dfs_FsckProblem__Output } from './dfs/FsckProblem';
import type { FsckReply as _dfs_FsckReply, FsckReply__Output as _dfs_FsckReply__Output } from './dfs/FsckReply';
import type { FsckRequest as _dfs_FsckRequest, FsckRequest__Output as _dfs_FsckRequest__Output } from './dfs/FsckRequest';
import type { GetChunksReply as _dfs_GetChunksReply, GetChunksReply__Output as _dfs_GetChunksReply__Output } from './dfs/GetChunksReply';
import type { GetChunksRequest as _dfs_GetChunksRequest, GetChunksRequest__Output as _dfs_GetChunksRequest__Output } from './dfs/GetChunksRequest';
import type { GrantReply as _dfs_GrantReply, GrantReply__Output as _dfs_GrantReply__Output } from './dfs/GrantReply';
import type { GrantRequest as _dfs_GrantRequest, GrantRequest__Output as _dfs_GrantRequest__Output } from './dfs/GrantRequest';
import type { HeartbeatReply as _dfs_HeartbeatReply, HeartbeatReply__Output as _dfs_HeartbeatReply__Output } from './dfs/HeartbeatReply';
import type { HeartbeatRequest as _dfs_HeartbeatRequest, HeartbeatRequest__Output as _dfs_HeartbeatRequest__Output } from './dfs/HeartbeatRequest';
import type { InventoryDigest as _dfs_InventoryDigest, InventoryDigest__Output as _dfs_InventoryDigest__Output } from './dfs/InventoryDigest';
import type { LeaseRequest as _dfs_LeaseRequest, LeaseRequest__Output as _dfs_LeaseRequest__Output } from './dfs/LeaseRequest';
import type { LinkRequest as _dfs_LinkRequest, LinkRequest__Output as _dfs_LinkRequest__Output } from './dfs/LinkRequest';
import type { ListReply as _dfs_ListReply, ListReply__Output as _dfs_ListReply__Output } from './dfs/ListReply';
import type { ListRequest as _dfs_ListRequest, ListRequest__Output as _dfs_ListRequest__Output } from './dfs/ListRequest';
import type { LockInfoReply as _dfs_LockInfoReply, LockInfoReply__Output as _dfs_LockInfoReply__Output } from './dfs/LockInfoReply';
import type { LockReply as _dfs_LockReply, LockReply__Output as _dfs_LockReply__Output } from './dfs/LockReply';
import type { LockRequest as _dfs_LockRequest, LockRequest__Output as _dfs_LockRequest__Output } from './dfs/LockRequest';
import type { MasterClient as _dfs_MasterClient, MasterDefinition as _dfs_MasterDefinition } from './dfs/Master';
import type { MetaCall as _dfs_MetaCall, MetaCall__Output as _dfs_MetaCall__Output } from './dfs/MetaCall';
import type { MetaResult as _dfs_MetaResult, MetaResult__Output as _dfs_MetaResult__Output } from './dfs/MetaResult';
import type { MkdirRequest as _dfs_MkdirRequest, MkdirRequest__Output as _dfs_MkdirRequest__Output } from './dfs/MkdirRequest';
import type { MknodRequest as _dfs_MknodRequest, MknodRequest__Output as _dfs_MknodRequest__Output } from './dfs/MknodRequest';
import type { NodeInfo as _dfs_NodeInfo, NodeInfo__Output as _dfs_NodeInfo__Output } from './dfs/NodeInfo';
import type { NodesReply as _dfs_NodesReply, NodesReply__Output as _dfs_NodesReply__Output } from './dfs/NodesReply';
import type { OpenRequest as _dfs_OpenRequest, OpenRequest__Output as _dfs_OpenRequest__Output } from './dfs/OpenRequest';
import type { PathRequest as _dfs_PathRequest, PathRequest__Output as _dfs_PathRequest__Output } from './dfs/PathRequest';
import type { ReadRequest as _dfs_ReadRequest, ReadRequest__Output as _dfs_ReadRequest__Output } from './dfs/ReadRequest';
import type { RefusedServer as _dfs_RefusedServer, RefusedServer__Output as _dfs_RefusedServer__Output } from './dfs/RefusedServer';
import type { RegisterReply as _dfs_RegisterReply, RegisterReply__Output as _dfs_RegisterReply__Output } from './dfs/RegisterReply';
import type { RegisterRequest as _dfs_RegisterRequest, RegisterRequest__Output as _dfs_RegisterRequest__Output } from './dfs/RegisterRequest';
import type { ReleaseRequest as _dfs_ReleaseRequest, ReleaseRequest__Output as _dfs_ReleaseRequest__Output } from './dfs/ReleaseRequest';
import type { RenameRequest as _dfs_RenameRequest, RenameRequest__Output as _dfs_RenameRequest__Output } from './dfs/RenameRequest';
import type { ReplicateRequest as _dfs_ReplicateRequest, ReplicateRequest__Output as _dfs_ReplicateRequest__Output } from './dfs/ReplicateRequest';
import type { ReplicateTask as _dfs_ReplicateTask, ReplicateTask__Output as _dfs_ReplicateTask__Output } from './dfs/ReplicateTask';
import type { ReserveAppendReply as _dfs_ReserveAppendReply, ReserveAppendReply__Output as _dfs_ReserveAppendReply__Output } from './dfs/ReserveAppendReply';
import type { ReserveAppendRequest as _dfs_ReserveAppendRequest, ReserveAppendRequest__Output as _dfs_ReserveAppendRequest__Output } from './dfs/ReserveAppendRequest';
import type { SafeModeReply as _dfs_SafeModeReply, SafeModeReply__Output as _dfs_SafeModeReply__Output } from './dfs/SafeModeReply';
import type { SafeModeRequest as _dfs_SafeModeRequest, SafeModeRequest__Output as _dfs_SafeModeRequest__Output } from './dfs/SafeModeRequest';
import type { SessionReply as _dfs_SessionReply, SessionReply__Output as _dfs_SessionReply__Output } from './dfs/SessionReply';
import type { SessionRequest as _dfs_SessionRequest, SessionRequest__Output as _dfs_SessionRequest__Output } from './dfs/SessionRequest';
import type { SetAttrRequest as _dfs_SetAttrRequest, SetAttrRequest__Output as _dfs_SetAttrRequest__Output } from './dfs/SetAttrRequest';
import type { SetXattrRequest as _dfs_SetXattrRequest, SetXattrRequest__Output as _dfs_SetXattrRequest__Output } from './dfs/SetXattrRequest';
import type { StatFsReply as _dfs_StatFsReply, StatFsReply__Output as _dfs_StatFsReply__Output } from './dfs/StatFsReply';
import type { SymlinkRequest as _dfs_SymlinkRequest, SymlinkRequest__Output as _dfs_SymlinkRequest__Output } from './dfs/SymlinkRequest';
import type { SyncChunksRequest as _dfs_SyncChunksRequest, SyncChunksRequest__Output as _dfs_SyncChunksRequest__Output } from './dfs/SyncChunksRequest';
import type { Timespec as _dfs_Timespec, Timespec__Output as _dfs_Timespec__Output } from './dfs/Timespec';
import type { WriteFrame as _dfs_WriteFrame, WriteFrame__Output as _dfs_WriteFrame__Output } from './dfs/WriteFrame';
import type { WriteHeader as _dfs_WriteHeader, WriteHeader__Output as _dfs_WriteHeader__Output } from './dfs/WriteHeader';
import type { WriteReply as _dfs_WriteReply, WriteReply__Output as _dfs_WriteReply__Output } from './dfs/WriteReply';
import type { XattrNames as _dfs_XattrNames, XattrNames__Output as _dfs_XattrNames__Output } from './dfs/XattrNames';
import type { XattrRequest as _dfs_XattrRequest, XattrRequest__Output as _dfs_XattrRequest__Output } from './dfs/XattrRequest';
import type { XattrValue as _dfs_XattrValue, XattrValue__Output as _dfs_XattrValue__Output } from './dfs/XattrValue';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dfs: {
    AbortUploadRequest: MessageTypeDefinition<_dfs_AbortUploadRequest, _dfs_AbortUploadRequest__Output>
    Attr: MessageTypeDefinition<_dfs_Attr, _dfs_Attr__Output>
    BadReplicaReport: MessageTypeDefinition<_dfs_BadReplicaReport, _dfs_BadReplicaReport__Output>
    BalanceReply: MessageTypeDefinition<_dfs_BalanceReply, _dfs_BalanceReply__Output>
    BalanceRequest: MessageTypeDefinition<_dfs_BalanceRequest, _dfs_BalanceRequest__Output>
    BalanceServer: MessageTypeDefinition<_dfs_BalanceServer, _dfs_BalanceServer__Output>
    BeginUploadReply: MessageTypeDefinition<_dfs_BeginUploadReply, _dfs_BeginUploadReply__Output>
    BeginUploadRequest: MessageTypeDefinition<_dfs_BeginUploadRequest, _dfs_BeginUploadRequest__Output>
    ByteRange: MessageTypeDefinition<_dfs_ByteRange, _dfs_ByteRange__Output>
    ChunkInfo: MessageTypeDefinition<_dfs_ChunkInfo, _dfs_ChunkInfo__Output>
    ChunkLease: MessageTypeDefinition<_dfs_ChunkLease, _dfs_ChunkLease__Output>
    ChunkProblem: EnumTypeDefinition
    ChunkRef: MessageTypeDefinition<_dfs_ChunkRef, _dfs_ChunkRef__Output>
    ChunkReplica: MessageTypeDefinition<_dfs_ChunkReplica, _dfs_ChunkReplica__Output>
    ChunkReport: MessageTypeDefinition<_dfs_ChunkReport, _dfs_ChunkReport__Output>
    ChunkStatReply: MessageTypeDefinition<_dfs_ChunkStatReply, _dfs_ChunkStatReply__Output>
    ChunkStatRequest: MessageTypeDefinition<_dfs_ChunkStatRequest, _dfs_ChunkStatRequest__Output>
    Chunkserver: SubtypeConstructor<typeof grpc.Client, _dfs_ChunkserverClient> & { service: _dfs_ChunkserverDefinition }
    CommitUploadRequest: MessageTypeDefinition<_dfs_CommitUploadRequest, _dfs_CommitUploadRequest__Output>
    CommitWriteRequest: MessageTypeDefinition<_dfs_CommitWriteRequest, _dfs_CommitWriteRequest__Output>
    CreateReply: MessageTypeDefinition<_dfs_CreateReply, _dfs_CreateReply__Output>
    CreateRequest: MessageTypeDefinition<_dfs_CreateRequest, _dfs_CreateRequest__Output>
    DataFrame: MessageTypeDefinition<_dfs_DataFrame, _dfs_DataFrame__Output>
    DecommissionReply: MessageTypeDefinition<_dfs_DecommissionReply, _dfs_DecommissionReply__Output>
    DecommissionRequest: MessageTypeDefinition<_dfs_DecommissionRequest, _dfs_DecommissionRequest__Output>
    DeleteKind: EnumTypeDefinition
    DeleteReply: MessageTypeDefinition<_dfs_DeleteReply, _dfs_DeleteReply__Output>
    DeleteRequest: MessageTypeDefinition<_dfs_DeleteRequest, _dfs_DeleteRequest__Output>
    DirEntry: MessageTypeDefinition<_dfs_DirEntry, _dfs_DirEntry__Output>
    Empty: MessageTypeDefinition<_dfs_Empty, _dfs_Empty__Output>
    FileType: EnumTypeDefinition
    FsckProblem: MessageTypeDefinition<_dfs_FsckProblem, _dfs_FsckProblem__Output>
    FsckReply: MessageTypeDefinition<_dfs_FsckReply, _dfs_FsckReply__Output>
    FsckRequest: MessageTypeDefinition<_dfs_FsckRequest, _dfs_FsckRequest__Output>
    GetChunksReply: MessageTypeDefinition<_dfs_GetChunksReply, _dfs_GetChunksReply__Output>
    GetChunksRequest: MessageTypeDefinition<_dfs_GetChunksRequest, _dfs_GetChunksRequest__Output>
    GrantReply: MessageTypeDefinition<_dfs_GrantReply, _dfs_GrantReply__Output>
    GrantRequest: MessageTypeDefinition<_dfs_GrantRequest, _dfs_GrantRequest__Output>
    HeartbeatReply: MessageTypeDefinition<_dfs_HeartbeatReply, _dfs_HeartbeatReply__Output>
    HeartbeatRequest: MessageTypeDefinition<_dfs_HeartbeatRequest, _dfs_HeartbeatRequest__Output>
    InventoryDigest: MessageTypeDefinition<_dfs_InventoryDigest, _dfs_InventoryDigest__Output>
    LeaseRequest: MessageTypeDefinition<_dfs_LeaseRequest, _dfs_LeaseRequest__Output>
    LinkRequest: MessageTypeDefinition<_dfs_LinkRequest, _dfs_LinkRequest__Output>
    ListReply: MessageTypeDefinition<_dfs_ListReply, _dfs_ListReply__Output>
    ListRequest: MessageTypeDefinition<_dfs_ListRequest, _dfs_ListRequest__Output>
    LockInfoReply: MessageTypeDefinition<_dfs_LockInfoReply, _dfs_LockInfoReply__Output>
    LockKind: EnumTypeDefinition
    LockReply: MessageTypeDefinition<_dfs_LockReply, _dfs_LockReply__Output>
    LockRequest: MessageTypeDefinition<_dfs_LockRequest, _dfs_LockRequest__Output>
    LockType: EnumTypeDefinition
    Master: SubtypeConstructor<typeof grpc.Client, _dfs_MasterClient> & { service: _dfs_MasterDefinition }
    MetaCall: MessageTypeDefinition<_dfs_MetaCall, _dfs_MetaCall__Output>
    MetaResult: MessageTypeDefinition<_dfs_MetaResult, _dfs_MetaResult__Output>
    MkdirRequest: MessageTypeDefinition<_dfs_MkdirRequest, _dfs_MkdirRequest__Output>
    MknodRequest: MessageTypeDefinition<_dfs_MknodRequest, _dfs_MknodRequest__Output>
    NodeInfo: MessageTypeDefinition<_dfs_NodeInfo, _dfs_NodeInfo__Output>
    NodesReply: MessageTypeDefinition<_dfs_NodesReply, _dfs_NodesReply__Output>
    OpenRequest: MessageTypeDefinition<_dfs_OpenRequest, _dfs_OpenRequest__Output>
    PathRequest: MessageTypeDefinition<_dfs_PathRequest, _dfs_PathRequest__Output>
    ReadRequest: MessageTypeDefinition<_dfs_ReadRequest, _dfs_ReadRequest__Output>
    RefusedServer: MessageTypeDefinition<_dfs_RefusedServer, _dfs_RefusedServer__Output>
    RegisterReply: MessageTypeDefinition<_dfs_RegisterReply, _dfs_RegisterReply__Output>
    RegisterRequest: MessageTypeDefinition<_dfs_RegisterRequest, _dfs_RegisterRequest__Output>
    ReleaseRequest: MessageTypeDefinition<_dfs_ReleaseRequest, _dfs_ReleaseRequest__Output>
    RenameRequest: MessageTypeDefinition<_dfs_RenameRequest, _dfs_RenameRequest__Output>
    ReplicateRequest: MessageTypeDefinition<_dfs_ReplicateRequest, _dfs_ReplicateRequest__Output>
    ReplicateTask: MessageTypeDefinition<_dfs_ReplicateTask, _dfs_ReplicateTask__Output>
    ReserveAppendReply: MessageTypeDefinition<_dfs_ReserveAppendReply, _dfs_ReserveAppendReply__Output>
    ReserveAppendRequest: MessageTypeDefinition<_dfs_ReserveAppendRequest, _dfs_ReserveAppendRequest__Output>
    SafeModeAction: EnumTypeDefinition
    SafeModeReply: MessageTypeDefinition<_dfs_SafeModeReply, _dfs_SafeModeReply__Output>
    SafeModeRequest: MessageTypeDefinition<_dfs_SafeModeRequest, _dfs_SafeModeRequest__Output>
    ServerState: EnumTypeDefinition
    SessionReply: MessageTypeDefinition<_dfs_SessionReply, _dfs_SessionReply__Output>
    SessionRequest: MessageTypeDefinition<_dfs_SessionRequest, _dfs_SessionRequest__Output>
    SetAttrRequest: MessageTypeDefinition<_dfs_SetAttrRequest, _dfs_SetAttrRequest__Output>
    SetXattrRequest: MessageTypeDefinition<_dfs_SetXattrRequest, _dfs_SetXattrRequest__Output>
    StatFsReply: MessageTypeDefinition<_dfs_StatFsReply, _dfs_StatFsReply__Output>
    SymlinkRequest: MessageTypeDefinition<_dfs_SymlinkRequest, _dfs_SymlinkRequest__Output>
    SyncChunksRequest: MessageTypeDefinition<_dfs_SyncChunksRequest, _dfs_SyncChunksRequest__Output>
    Timespec: MessageTypeDefinition<_dfs_Timespec, _dfs_Timespec__Output>
    WriteFrame: MessageTypeDefinition<_dfs_WriteFrame, _dfs_WriteFrame__Output>
    WriteHeader: MessageTypeDefinition<_dfs_WriteHeader, _dfs_WriteHeader__Output>
    WriteReply: MessageTypeDefinition<_dfs_WriteReply, _dfs_WriteReply__Output>
    XattrNames: MessageTypeDefinition<_dfs_XattrNames, _dfs_XattrNames__Output>
    XattrRequest: MessageTypeDefinition<_dfs_XattrRequest, _dfs_XattrRequest__Output>
    XattrValue: MessageTypeDefinition<_dfs_XattrValue, _dfs_XattrValue__Output>
  }
}


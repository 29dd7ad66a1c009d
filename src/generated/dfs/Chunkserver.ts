// Original file: proto/dfs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChunkStatReply as _dfs_ChunkStatReply, ChunkStatReply__Output as _dfs_ChunkStatReply__Output } from '../dfs/ChunkStatReply';
import type { ChunkStatRequest as _dfs_ChunkStatRequest, ChunkStatRequest__Output as _dfs_ChunkStatRequest__Output } from '../dfs/ChunkStatRequest';
import type { DataFrame as _dfs_DataFrame, DataFrame__Output as _dfs_DataFrame__Output } from '../dfs/DataFrame';
import type { Empty as _dfs_Empty, Empty__Output as _dfs_Empty__Output } from '../dfs/Empty';
import type { GrantReply as _dfs_GrantReply, GrantReply__Output as _dfs_GrantReply__Output } from '../dfs/GrantReply';
import type { GrantRequest as _dfs_GrantRequest, GrantRequest__Output as _dfs_GrantRequest__Output } from '../dfs/GrantRequest';
import type { MetaCall as _dfs_MetaCall, MetaCall__Output as _dfs_MetaCall__Output } from '../dfs/MetaCall';
import type { MetaResult as _dfs_MetaResult, MetaResult__Output as _dfs_MetaResult__Output } from '../dfs/MetaResult';
import type { ReadRequest as _dfs_ReadRequest, ReadRequest__Output as _dfs_ReadRequest__Output } from '../dfs/ReadRequest';
import type { ReplicateRequest as _dfs_ReplicateRequest, ReplicateRequest__Output as _dfs_ReplicateRequest__Output } from '../dfs/ReplicateRequest';
import type { SyncChunksRequest as _dfs_SyncChunksRequest, SyncChunksRequest__Output as _dfs_SyncChunksRequest__Output } from '../dfs/SyncChunksRequest';
import type { WriteFrame as _dfs_WriteFrame, WriteFrame__Output as _dfs_WriteFrame__Output } from '../dfs/WriteFrame';
import type { WriteReply as _dfs_WriteReply, WriteReply__Output as _dfs_WriteReply__Output } from '../dfs/WriteReply';

export interface ChunkserverClient extends grpc.Client {
  /**
   * Grant, ReadSmall, WriteSmall, ChunkStat and SyncChunks multiplexed on one stream per client
   * (MetaCall/MetaResult, as Master.Calls): a random 4 KiB read costs a message, not a call.
   */
  Calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  Calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  /**
   * Grant, ReadSmall, WriteSmall, ChunkStat and SyncChunks multiplexed on one stream per client
   * (MetaCall/MetaResult, as Master.Calls): a random 4 KiB read costs a message, not a call.
   */
  calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dfs_MetaCall, _dfs_MetaResult__Output>;
  
  ChunkStat(argument: _dfs_ChunkStatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  ChunkStat(argument: _dfs_ChunkStatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  ChunkStat(argument: _dfs_ChunkStatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  ChunkStat(argument: _dfs_ChunkStatRequest, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  chunkStat(argument: _dfs_ChunkStatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  chunkStat(argument: _dfs_ChunkStatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  chunkStat(argument: _dfs_ChunkStatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  chunkStat(argument: _dfs_ChunkStatRequest, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  
  Grant(argument: _dfs_GrantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  Grant(argument: _dfs_GrantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  Grant(argument: _dfs_GrantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  Grant(argument: _dfs_GrantRequest, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  grant(argument: _dfs_GrantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  grant(argument: _dfs_GrantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  grant(argument: _dfs_GrantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  grant(argument: _dfs_GrantRequest, callback: grpc.requestCallback<_dfs_GrantReply__Output>): grpc.ClientUnaryCall;
  
  ReadChunk(argument: _dfs_ReadRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_dfs_DataFrame__Output>;
  ReadChunk(argument: _dfs_ReadRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_dfs_DataFrame__Output>;
  readChunk(argument: _dfs_ReadRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_dfs_DataFrame__Output>;
  readChunk(argument: _dfs_ReadRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_dfs_DataFrame__Output>;
  
  /**
   * The bytes of a read of at most READ_SMALL_BYTES_MAX (256 KiB) in one frame, verified as
   * ReadChunk's; fewer at the end of the chunk.
   */
  ReadSmall(argument: _dfs_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  ReadSmall(argument: _dfs_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  ReadSmall(argument: _dfs_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  ReadSmall(argument: _dfs_ReadRequest, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  /**
   * The bytes of a read of at most READ_SMALL_BYTES_MAX (256 KiB) in one frame, verified as
   * ReadChunk's; fewer at the end of the chunk.
   */
  readSmall(argument: _dfs_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  readSmall(argument: _dfs_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  readSmall(argument: _dfs_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  readSmall(argument: _dfs_ReadRequest, callback: grpc.requestCallback<_dfs_DataFrame__Output>): grpc.ClientUnaryCall;
  
  Replicate(argument: _dfs_ReplicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _dfs_ReplicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _dfs_ReplicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _dfs_ReplicateRequest, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  replicate(argument: _dfs_ReplicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  replicate(argument: _dfs_ReplicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  replicate(argument: _dfs_ReplicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  replicate(argument: _dfs_ReplicateRequest, callback: grpc.requestCallback<_dfs_ChunkStatReply__Output>): grpc.ClientUnaryCall;
  
  SyncChunks(argument: _dfs_SyncChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SyncChunks(argument: _dfs_SyncChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SyncChunks(argument: _dfs_SyncChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  SyncChunks(argument: _dfs_SyncChunksRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  syncChunks(argument: _dfs_SyncChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  syncChunks(argument: _dfs_SyncChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  syncChunks(argument: _dfs_SyncChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  syncChunks(argument: _dfs_SyncChunksRequest, callback: grpc.requestCallback<_dfs_Empty__Output>): grpc.ClientUnaryCall;
  
  WriteChunk(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  WriteChunk(metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  WriteChunk(options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  WriteChunk(callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  writeChunk(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  writeChunk(metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  writeChunk(options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  writeChunk(callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientWritableStream<_dfs_WriteFrame>;
  
  /**
   * WriteChunk of at most WRITE_SMALL_BYTES_MAX (256 KiB) in one frame (header and all the
   * data), forwarded down the chain as a WriteSmall on the next replica's Calls stream: same
   * checks, guarantees and errors (dfs-failed-server in MetaResult.metadata) as WriteChunk.
   */
  WriteSmall(argument: _dfs_WriteFrame, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  WriteSmall(argument: _dfs_WriteFrame, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  WriteSmall(argument: _dfs_WriteFrame, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  WriteSmall(argument: _dfs_WriteFrame, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  /**
   * WriteChunk of at most WRITE_SMALL_BYTES_MAX (256 KiB) in one frame (header and all the
   * data), forwarded down the chain as a WriteSmall on the next replica's Calls stream: same
   * checks, guarantees and errors (dfs-failed-server in MetaResult.metadata) as WriteChunk.
   */
  writeSmall(argument: _dfs_WriteFrame, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  writeSmall(argument: _dfs_WriteFrame, metadata: grpc.Metadata, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  writeSmall(argument: _dfs_WriteFrame, options: grpc.CallOptions, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  writeSmall(argument: _dfs_WriteFrame, callback: grpc.requestCallback<_dfs_WriteReply__Output>): grpc.ClientUnaryCall;
  
}

export interface ChunkserverHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Grant, ReadSmall, WriteSmall, ChunkStat and SyncChunks multiplexed on one stream per client
   * (MetaCall/MetaResult, as Master.Calls): a random 4 KiB read costs a message, not a call.
   */
  Calls: grpc.handleBidiStreamingCall<_dfs_MetaCall__Output, _dfs_MetaResult>;
  
  ChunkStat: grpc.handleUnaryCall<_dfs_ChunkStatRequest__Output, _dfs_ChunkStatReply>;
  
  Grant: grpc.handleUnaryCall<_dfs_GrantRequest__Output, _dfs_GrantReply>;
  
  ReadChunk: grpc.handleServerStreamingCall<_dfs_ReadRequest__Output, _dfs_DataFrame>;
  
  /**
   * The bytes of a read of at most READ_SMALL_BYTES_MAX (256 KiB) in one frame, verified as
   * ReadChunk's; fewer at the end of the chunk.
   */
  ReadSmall: grpc.handleUnaryCall<_dfs_ReadRequest__Output, _dfs_DataFrame>;
  
  Replicate: grpc.handleUnaryCall<_dfs_ReplicateRequest__Output, _dfs_ChunkStatReply>;
  
  SyncChunks: grpc.handleUnaryCall<_dfs_SyncChunksRequest__Output, _dfs_Empty>;
  
  WriteChunk: grpc.handleClientStreamingCall<_dfs_WriteFrame__Output, _dfs_WriteReply>;
  
  /**
   * WriteChunk of at most WRITE_SMALL_BYTES_MAX (256 KiB) in one frame (header and all the
   * data), forwarded down the chain as a WriteSmall on the next replica's Calls stream: same
   * checks, guarantees and errors (dfs-failed-server in MetaResult.metadata) as WriteChunk.
   */
  WriteSmall: grpc.handleUnaryCall<_dfs_WriteFrame__Output, _dfs_WriteReply>;
  
}

export interface ChunkserverDefinition extends grpc.ServiceDefinition {
  Calls: MethodDefinition<_dfs_MetaCall, _dfs_MetaResult, _dfs_MetaCall__Output, _dfs_MetaResult__Output>
  ChunkStat: MethodDefinition<_dfs_ChunkStatRequest, _dfs_ChunkStatReply, _dfs_ChunkStatRequest__Output, _dfs_ChunkStatReply__Output>
  Grant: MethodDefinition<_dfs_GrantRequest, _dfs_GrantReply, _dfs_GrantRequest__Output, _dfs_GrantReply__Output>
  ReadChunk: MethodDefinition<_dfs_ReadRequest, _dfs_DataFrame, _dfs_ReadRequest__Output, _dfs_DataFrame__Output>
  ReadSmall: MethodDefinition<_dfs_ReadRequest, _dfs_DataFrame, _dfs_ReadRequest__Output, _dfs_DataFrame__Output>
  Replicate: MethodDefinition<_dfs_ReplicateRequest, _dfs_ChunkStatReply, _dfs_ReplicateRequest__Output, _dfs_ChunkStatReply__Output>
  SyncChunks: MethodDefinition<_dfs_SyncChunksRequest, _dfs_Empty, _dfs_SyncChunksRequest__Output, _dfs_Empty__Output>
  WriteChunk: MethodDefinition<_dfs_WriteFrame, _dfs_WriteReply, _dfs_WriteFrame__Output, _dfs_WriteReply__Output>
  WriteSmall: MethodDefinition<_dfs_WriteFrame, _dfs_WriteReply, _dfs_WriteFrame__Output, _dfs_WriteReply__Output>
}

// Original file: proto/dfs.proto

export const ServerState = {
  SERVER_STATE_UNSPECIFIED: 'SERVER_STATE_UNSPECIFIED',
  ALIVE: 'ALIVE',
  DEAD: 'DEAD',
  DECOMMISSIONING: 'DECOMMISSIONING',
  DECOMMISSIONED: 'DECOMMISSIONED',
} as const;

export type ServerState =
  | 'SERVER_STATE_UNSPECIFIED'
  | 0
  | 'ALIVE'
  | 1
  | 'DEAD'
  | 2
  | 'DECOMMISSIONING'
  | 3
  | 'DECOMMISSIONED'
  | 4

export type ServerState__Output = typeof ServerState[keyof typeof ServerState]

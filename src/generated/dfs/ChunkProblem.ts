// Original file: proto/dfs.proto

export const ChunkProblem = {
  CHUNK_PROBLEM_UNSPECIFIED: 'CHUNK_PROBLEM_UNSPECIFIED',
  /**
   * fewer live replicas on in-service servers than the goal
   */
  UNDER_REPLICATED: 'UNDER_REPLICATED',
  /**
   * more than the goal
   */
  OVER_REPLICATED: 'OVER_REPLICATED',
  /**
   * replicas on fewer distinct hosts than possible
   */
  MIS_REPLICATED: 'MIS_REPLICATED',
  /**
   * no good replica, at least one reported bad
   */
  CORRUPT: 'CORRUPT',
  /**
   * no live replica at all
   */
  MISSING: 'MISSING',
} as const;

export type ChunkProblem =
  | 'CHUNK_PROBLEM_UNSPECIFIED'
  | 0
  /**
   * fewer live replicas on in-service servers than the goal
   */
  | 'UNDER_REPLICATED'
  | 1
  /**
   * more than the goal
   */
  | 'OVER_REPLICATED'
  | 2
  /**
   * replicas on fewer distinct hosts than possible
   */
  | 'MIS_REPLICATED'
  | 3
  /**
   * no good replica, at least one reported bad
   */
  | 'CORRUPT'
  | 4
  /**
   * no live replica at all
   */
  | 'MISSING'
  | 5

export type ChunkProblem__Output = typeof ChunkProblem[keyof typeof ChunkProblem]

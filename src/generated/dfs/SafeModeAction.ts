// Original file: proto/dfs.proto

export const SafeModeAction = {
  SAFE_MODE_GET: 'SAFE_MODE_GET',
  /**
   * stays on until SAFE_MODE_LEAVE
   */
  SAFE_MODE_ENTER: 'SAFE_MODE_ENTER',
  SAFE_MODE_LEAVE: 'SAFE_MODE_LEAVE',
} as const;

export type SafeModeAction =
  | 'SAFE_MODE_GET'
  | 0
  /**
   * stays on until SAFE_MODE_LEAVE
   */
  | 'SAFE_MODE_ENTER'
  | 1
  | 'SAFE_MODE_LEAVE'
  | 2

export type SafeModeAction__Output = typeof SafeModeAction[keyof typeof SafeModeAction]

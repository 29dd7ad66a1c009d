// Original file: proto/dfs.proto


export interface BalanceRequest {
  /**
   * a server within this many percentage points of the mean is balanced (0 = 10)
   */
  'thresholdPct'?: (number | string);
}

export interface BalanceRequest__Output {
  /**
   * a server within this many percentage points of the mean is balanced (0 = 10)
   */
  'thresholdPct': (number);
}

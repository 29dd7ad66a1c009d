// Original file: proto/dfs.proto


export interface BalanceServer {
  'serverId'?: (string);
  'usedPct'?: (number | string);
}

export interface BalanceServer__Output {
  'serverId': (string);
  'usedPct': (number);
}

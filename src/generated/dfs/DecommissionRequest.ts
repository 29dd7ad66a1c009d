// Original file: proto/dfs.proto


export interface DecommissionRequest {
  /**
   * server id or address
   */
  'node'?: (string);
  /**
   * undo: back to ALIVE
   */
  'recommission'?: (boolean);
}

export interface DecommissionRequest__Output {
  /**
   * server id or address
   */
  'node': (string);
  /**
   * undo: back to ALIVE
   */
  'recommission': (boolean);
}

// Original file: proto/dfs.proto


export interface ListRequest {
  'path'?: (string);
  /**
   * paging cursor: names sort bytewise; "" = from the start
   */
  'startAfter'?: (string);
  /**
   * 0 = server default; capped by the server
   */
  'limit'?: (number);
}

export interface ListRequest__Output {
  'path': (string);
  /**
   * paging cursor: names sort bytewise; "" = from the start
   */
  'startAfter': (string);
  /**
   * 0 = server default; capped by the server
   */
  'limit': (number);
}

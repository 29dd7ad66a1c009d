// Original file: proto/dfs.proto


export interface SetXattrRequest {
  'path'?: (string);
  'name'?: (string);
  /**
   * at most 65536 bytes
   */
  'value'?: (Buffer | Uint8Array | string);
  /**
   * Linux values: 1 = XATTR_CREATE (EEXIST when set), 2 = XATTR_REPLACE (ENODATA when not)
   */
  'flags'?: (number);
}

export interface SetXattrRequest__Output {
  'path': (string);
  'name': (string);
  /**
   * at most 65536 bytes
   */
  'value': (Buffer);
  /**
   * Linux values: 1 = XATTR_CREATE (EEXIST when set), 2 = XATTR_REPLACE (ENODATA when not)
   */
  'flags': (number);
}

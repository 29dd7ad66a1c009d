// Original file: proto/dfs.proto


export interface DataFrame {
  'data'?: (Buffer | Uint8Array | string);
  /**
   * CRC32C of data
   */
  'crc32c'?: (number);
}

export interface DataFrame__Output {
  'data': (Buffer);
  /**
   * CRC32C of data
   */
  'crc32c': (number);
}

// Original file: proto/dfs.proto


export interface XattrValue {
  'value'?: (Buffer | Uint8Array | string);
}

export interface XattrValue__Output {
  'value': (Buffer);
}

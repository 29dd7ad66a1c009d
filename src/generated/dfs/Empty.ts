// Original file: proto/dfs.proto


export interface Empty {
}

export interface Empty__Output {
}

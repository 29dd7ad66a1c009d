// Original file: /work/main/proto/dfs.proto


export interface Empty {
}

export interface Empty__Output {
}

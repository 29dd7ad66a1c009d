/**
 * V8 flags every dfs process runs with: `bin/dfs` carries them in its `#!/usr/bin/env -S node …`
 * line, `npm start` on its node command line, and the benchmark and the tests spawn processes with
 * them (test/common.test.ts checks that all of these agree with this list).
 *
 * --initial-old-space-size=64 (MiB): the data path allocates its 1 MiB frames outside the JS heap
 * while the heap itself stays small (~14 MiB live). With V8's default start-up limit the old
 * generation's allocation limit then sits a young generation's worth above the live size, and V8
 * runs an incremental mark-compact every ~30 ms of streaming: ~200 of them per GiB read through
 * the mount, 30-40% of each process's busy time. With 64 MiB: ~40 per GiB. Measured on 1 GiB
 * (A/B, alternating): `dfs get` 4.0 -> 2.8 s, `dfs put` 14-17 -> 10-12.7 s, mount `cat` 6.75 ->
 * 5.0 s; peak RSS +5..25 MiB per process. V8 reads this flag only at start-up
 * (v8.setFlagsFromString later has no effect: measured).
 */
export const NODE_FLAGS: readonly string[] = ['--initial-old-space-size=64'];

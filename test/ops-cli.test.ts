/**
 * The operator-facing CLI on the built executable (bin/dfs → dist/): progress bars under a
 * pseudo-terminal (`script -qc`) and none when piped or with --quiet, configuration errors
 * (wrong type, unknown key, invalid JSON) exiting 2 with the key named, `dfs config`,
 * shell completion scripts and --help examples on every subcommand.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestCluster } from './helpers/cluster';
import { runDfs, writeTestConfig, DFS_BIN } from './helpers/procs';

let cluster: TestCluster;
let dir: string;
let cfg: string;

before(async () => {
  cluster = await TestCluster.start({ chunkservers: 3 });
  dir = await mkdtemp(join(tmpdir(), 'dfs-ops-cli-'));
  cfg = await writeTestConfig(dir);
  await writeFile(join(dir, 'data.bin'), randomBytes(3 * 1024 * 1024 + 5));
});

after(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `dfs ARGS` inside a pseudo-terminal (util-linux script); resolves with what the terminal showed. */
function underPty(args: string[]): Promise<{ code: number; out: string }> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, DFS_BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, COLUMNS: '120' } }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: String(stdout) });
    });
  });
}

const cluArgs = (): string[] => ['--config', cfg, '--master', cluster.masterAddress];

test('Progress: put and get show a bar with rate and ETA and a summary line on a terminal', async () => {
  const put = await underPty(['put', join(dir, 'data.bin'), '/pty.bin', ...cluArgs()]);
  assert.equal(put.code, 0, put.out);
  assert.match(put.out, /put \/pty\.bin .*\d+% \| .* \/ 3\.0 MiB \| .*\/s \| ETA /, 'the bar');
  assert.match(put.out, /put \/pty\.bin: 3\.0 MiB in [\d.]+ s \([\d.]+ \S+\/s\)/, 'the summary line');
  const out = join(dir, 'back.bin');
  const get = await underPty(['get', '/pty.bin', out, ...cluArgs()]);
  assert.equal(get.code, 0, get.out);
  assert.match(get.out, /get \/pty\.bin .*\d+% \| .* \/ 3\.0 MiB \| .*\/s \| ETA /, 'get\'s bar knows the size too');
  assert.match(get.out, /get \/pty\.bin: 3\.0 MiB in [\d.]+ s/);
  assert.ok((await readFile(out)).equals(await readFile(join(dir, 'data.bin'))));
});

test('Progress: nothing on a pipe, nothing with --quiet on a terminal', async () => {
  const piped = await runDfs(['put', join(dir, 'data.bin'), '/piped.bin', ...cluArgs()]);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  const gotPiped = await runDfs(['get', '/piped.bin', join(dir, 'piped.bin'), ...cluArgs()]);
  assert.equal(gotPiped.code, 0, gotPiped.stderr);
  assert.equal(gotPiped.stderr, '');
  const quiet = await underPty(['put', '--quiet', join(dir, 'data.bin'), '/quiet.bin', ...cluArgs()]);
  assert.equal(quiet.code, 0, quiet.out);
  assert.doesNotMatch(quiet.out, /ETA|MiB/);
});

test('Config: wrong type, unknown key and invalid JSON each exit 2 with a clear message', async () => {
  const cases: [string, string, RegExp][] = [
    ['wrong-type.json', JSON.stringify({ cluster: { replication: 'three' } }), /"cluster\.replication": expected number, received string/],
    ['unknown-key.json', JSON.stringify({ master: { httpListn: '127.0.0.1:7080' } }), /unknown config key "master\.httpListn"/],
    ['unknown-section.json', JSON.stringify({ dashboard: {} }), /unknown config key "dashboard"/],
    ['bad-address.json', JSON.stringify({ master: { httpListen: 'localhost' } }), /"master\.httpListen": expected HOST:PORT/],
    ['invalid.json', '{ "cluster": { "replication": 3, } ', /cannot read config .*invalid\.json/],
    ['null.json', 'null', /bad config value at "\(root\)" in .*null\.json: expected an object/],
    ['bad-port.json', JSON.stringify({ master: { address: '127.0.0.1:99999' } }), /"master\.address": expected HOST:PORT with a port of at most 65535/],
  ];
  for (const [name, body, message] of cases) {
    const file = join(dir, name);
    await writeFile(file, body);
    for (const args of [['config', '--config', file], ['ls', '/', '--config', file]]) {
      const r = await runDfs(args);
      assert.equal(r.code, 2, `${name} ${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, message, name);
    }
  }
  // a folder or a missing file: said as coreutils would, not as Node's errno text
  for (const [file, reason] of [[dir, 'Is a directory'], [join(dir, 'missing.json'), 'No such file or directory']]) {
    const r = await runDfs(['config', '--config', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `dfs: cannot read config ${file}: ${reason}`);
  }
  const badLevel = await runDfs(['config', '--log-level', 'loud']);
  assert.equal(badLevel.code, 2);
  assert.match(badLevel.stderr, /log\.level/);
});

test('Config: a DFS_* variable that is no configuration key is warned about (a misspelt one would leave the default silently)', async () => {
  const r = await runDfs(['config', '--config', cfg], { env: { DFS_CHUNKSERVER_CAPACITYBYTES: '5', DFS_CLUSTER_REPLICATION: '2' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), 'dfs: warning: DFS_CHUNKSERVER_CAPACITYBYTES is not a configuration variable; ignored (see the configuration table in README.md)');
  assert.equal(JSON.parse(r.stdout.toString()).cluster.replication, 2, 'the right ones still apply');
});

test('Config: a bad value set by a DFS_* variable names the variable; a flag over it is what gets checked', async () => {
  let r = await runDfs(['ls', '/', '--config', cfg], { env: { DFS_CLUSTER_REPLICATION: 'abc' } });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), 'dfs: bad config value at "cluster.replication": expected number, received string (from DFS_CLUSTER_REPLICATION)');
  r = await runDfs(['config', '--config', cfg], { env: { DFS_MASTER_ADDRESS: 'nowhere' } });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), 'dfs: bad config value at "master.address": expected HOST:PORT (from DFS_MASTER_ADDRESS)');
  r = await runDfs(['config', '--config', cfg, '--master', 'nowhere'], { env: { DFS_MASTER_ADDRESS: '127.0.0.1:7000' } });
  assert.equal(r.stderr.trim(), 'dfs: bad config value at "master.address": expected HOST:PORT', 'the flag\'s value, not the variable\'s');
  r = await runDfs(['config', '--config', cfg, '--master', '127.0.0.1:7000'], { env: { DFS_MASTER_ADDRESS: 'nowhere' } });
  assert.equal(r.code, 0, r.stderr);
});

test('Config: dfs config prints the effective configuration (file, then DFS_* variables, then flags)', async () => {
  const r = await runDfs(['config', '--config', cfg, '--log-level', 'error'], { env: { DFS_CLUSTER_REPLICATION: '2', DFS_LOG_LEVEL: 'debug', DFS_MASTER_HTTP_LISTEN: '0.0.0.0:9999' } });
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout.toString());
  assert.equal(c.cluster.replication, 2);
  assert.equal(c.log.level, 'error', 'a flag wins over the environment');
  assert.equal(c.master.httpListen, '0.0.0.0:9999');
  assert.equal(typeof c.chunkserver.httpListen, 'string');
});

test('Completion: bash and zsh scripts name every command; bash accepts the script', async () => {
  const bash = await runDfs(['completion', 'bash']);
  assert.equal(bash.code, 0, bash.stderr);
  const script = bash.stdout.toString();
  for (const word of ['put', 'get', 'ls', 'nodes', 'config', 'completion', '--quiet', '--master', 'complete -o default']) assert.ok(script.includes(word), word);
  // flags as typed: put's negated flag is --no-overwrite (cac calls it "overwrite")
  assert.match(script, /put\|upload\) opts="[^"]*--no-overwrite[^"]*"/);
  assert.doesNotMatch(script, /put\|upload\) opts="[^"]*--overwrite[^"]*"/);
  // aliases complete as commands, with their command's flags
  assert.match(script, /compgen -W "[^"]* put upload get download /);
  const check = await new Promise<number>((resolve) => {
    const child = execFile('bash', ['-n'], (err) => resolve(err ? 1 : 0));
    child.stdin!.end(script);
  });
  assert.equal(check, 0, 'bash -n accepts the script');
  const zsh = await runDfs(['completion', 'zsh']);
  assert.equal(zsh.code, 0);
  assert.match(zsh.stdout.toString(), /^#compdef dfs/);
  assert.match(zsh.stdout.toString(), /'put:Upload a file/);
  assert.match(zsh.stdout.toString(), /'download:alias of get'/);
  assert.match(zsh.stdout.toString(), /\(get\|download\) _arguments/);
  const bad = await runDfs(['completion', 'fish']);
  assert.equal(bad.code, 2);
});

test('Options: a negative value is the option\'s value, refused by its own check (not "Unknown option -1")', async () => {
  for (const [args, message] of [
    [['put', '/etc/hostname', '/x', '--chunk-size', '-1'], /^dfs: invalid --chunk-size: /m],
    [['put', '/etc/hostname', '/x', '--replication', '-2'], /^dfs: invalid --replication: '-2' \(expected a positive integer\)/m],
  ] as const) {
    const r = await runDfs([...args, '--master', '127.0.0.1:1']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /Unknown option/);
  }
});

test('Version: --version prints it, with or without a command, and runs nothing', async () => {
  const plain = await runDfs(['--version']);
  assert.equal(plain.code, 0);
  assert.match(plain.stdout.toString(), /^dfs\/\d+\.\d+\.\d+ /);
  const sub = await runDfs(['ls', '--version', '--master', '127.0.0.1:1']);
  assert.equal(sub.code, 0, sub.stderr);
  assert.equal(sub.stdout.toString(), plain.stdout.toString());
});

test('Help: every subcommand has --help with examples', async () => {
  const top = await runDfs(['--help']);
  const commands = [...top.stdout.toString().matchAll(/^\s{2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'dfs');
  assert.ok(commands.includes('put') && commands.includes('completion') && commands.includes('master'), commands.join(' '));
  const replies = await Promise.all(commands.map((c) => runDfs([c, '--help'])));
  commands.forEach((c, i) => {
    assert.equal(replies[i].code, 0, c);
    assert.match(replies[i].stdout.toString(), /Examples:\n.*\bdfs /, `${c} --help shows examples`);
    // a --no-X flag is off unless given: cac's "(default: true)" after it read as the opposite
    assert.doesNotMatch(replies[i].stdout.toString(), /--no-[^\n]*\(default: true\)/, `${c} --help`);
  });
  const version = await runDfs(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.toString(), /^dfs\/\d+\.\d+\.\d+ /);
});

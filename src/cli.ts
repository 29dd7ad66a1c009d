/**
 * The one executable: `dfs master | chunkserver | local | mount | umount` run the roles,
 * every other command is a client of the master at --master (default config master.address).
 *
 * Exit statuses: 0 success, 1 an operation failed (coreutils-style message on stderr),
 * 2 usage error (with a hint), 130 interrupted. Servers stop cleanly on SIGINT/SIGTERM; a
 * second signal exits at once.
 */
import { tuneMalloc } from './common/malloc-tune';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cac } from 'cac';
import type { CAC, Command } from 'cac';
import { loadConfig, resolveDir } from './common/config';
import type { Config } from './common/config';
import { asDfsError } from './common/errors';
import { setLogFormat, setLogLevel } from './common/logger';
import { DfsClient } from './client/dfs-client';
import { configOverrides, EMPTY_ARG } from './client/cli-options';
import { errorLine } from './client/cli-format';
import * as commands from './client/cli-commands';
import { completionScript, type CommandSpec, type OptionSpec } from './client/completion';
import * as admin from './client/cli-admin';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError } from './client/cli-commands';
import type { Io } from './client/cli-commands';

const EXIT_INTERRUPTED = 130;

type Flags = Record<string, any>;

/** cac's option parser swallows a lone "-"; it stands for stdin/stdout, so it is carried past the parser as this. */
const STDIO_ARG = '\u0000stdio';

/** An operand or the flags of an action with every EMPTY_ARG turned back into "" (e.g. --chunk-size ""). */
function emptyArgsRestored(value: unknown): unknown {
  if (value === EMPTY_ARG) return '';
  if (Array.isArray(value)) return value.map(emptyArgsRestored);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, emptyArgsRestored(v)]));
  }
  return value;
}

/** A positional argument as the user typed it. */
function arg(value: unknown): string {
  return value === STDIO_ARG ? '-' : String(value);
}

// ------------------------------------------------------------------ signals

const interruptHandlers = new Set<() => void>();
let signalCount = 0;
let onStopSignal: (() => void) | undefined;
/** Runs before the exit at a second signal (a mount detaches its folder). */
let onForcedExit: (() => void) | undefined;

function installSignals(): void {
  const handle = (): void => {
    signalCount++;
    if (signalCount > 1) {
      onForcedExit?.();
      process.exit(EXIT_INTERRUPTED);
    }
    if (onStopSignal) return onStopSignal();
    if (interruptHandlers.size === 0) process.exit(EXIT_INTERRUPTED);
    for (const fn of interruptHandlers) fn();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/** Resolves at the first SIGINT/SIGTERM (a second one exits at once, see installSignals). */
function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => { onStopSignal = resolve; });
}

function io(progress: boolean): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    progress: progress && process.stderr.isTTY === true,
    onInterrupt(fn) {
      interruptHandlers.add(fn);
      return () => { interruptHandlers.delete(fn); };
    },
  };
}

// ------------------------------------------------------------------ config and clients

function configFor(command: string, flags: Flags): Config {
  const config = loadConfig({ file: flags.config === undefined ? undefined : String(flags.config), overrides: configOverrides(command, flags) });
  setLogLevel(config.log.level);
  setLogFormat(config.log.format ?? 'auto');
  return config;
}

/** The master of the running client command, for the hint after a transport error. */
let clientMasterAddress: string | undefined;

async function withClient(flags: Flags, fn: (client: DfsClient, config: Config) => Promise<number>): Promise<number> {
  const config = configFor('client', flags);
  clientMasterAddress = config.master.address;
  const client = new DfsClient({ masterAddress: config.master.address, config });
  try {
    const code = await fn(client, config);
    // an operand failed (printed by the command) because the master is not there
    if (code !== EXIT_OK && client.masterUnreachable) printMasterHint(config.master.address);
    return code;
  } finally {
    client.close();
  }
}

// ------------------------------------------------------------------ roles

async function runMaster(flags: Flags): Promise<number> {
  const config = configFor('master', flags);
  const { startMaster } = await import('./master/master');
  const master = await startMaster({ config, listen: config.master.listen, metaDir: resolveDir(config.master.metaDir) });
  process.stderr.write(`dfs master listening on ${master.address}\n`);
  if (master.httpAddress) process.stderr.write(`dfs master http on ${master.httpAddress} (dashboard http://${master.httpAddress}/)\n`);
  await untilStopSignal();
  await master.stop();
  return EXIT_OK;
}

async function runChunkserver(flags: Flags): Promise<number> {
  const config = configFor('chunkserver', flags);
  const { startChunkserver } = await import('./chunkserver/chunkserver');
  const cs = await startChunkserver({
    config, masterAddress: config.master.address, listen: config.chunkserver.listen,
    dataDir: resolveDir(config.chunkserver.dataDir), id: config.chunkserver.id, advertise: config.chunkserver.advertise,
  });
  process.stderr.write(`dfs chunkserver ${cs.id} listening on ${cs.address} (data in ${cs.dataDir})\n`);
  if (cs.httpAddress) process.stderr.write(`dfs chunkserver ${cs.id} metrics on http://${cs.httpAddress}/metrics\n`);
  // ends on a signal, or when the server stopped itself (its data folder gone): exit status 1
  const failure = await Promise.race([untilStopSignal().then(() => undefined), cs.failed]);
  await cs.stop();
  if (!failure) return EXIT_OK;
  process.stderr.write(`dfs: chunkserver: ${failure.message}; stopped\n`);
  return EXIT_FAIL;
}

async function runLocal(flags: Flags): Promise<number> {
  const config = configFor('local', flags);
  const dir = resolveDir(config.local.dir);
  const { startMaster } = await import('./master/master');
  const { startChunkserver } = await import('./chunkserver/chunkserver');
  const master = await startMaster({ config, listen: config.master.listen, metaDir: join(dir, 'master') });
  const servers: { stop(): Promise<void> }[] = [];
  let mount: { unmount(): Promise<void> } | undefined;
  try {
    for (let i = 1; i <= config.local.chunkservers; i++) {
      const cs = await startChunkserver({
        config, masterAddress: master.address, listen: config.chunkserver.listen,
        dataDir: join(dir, `cs${i}`), id: `cs${i}`, advertise: config.chunkserver.advertise,
      });
      // one chunkserver that lost its folder stops; the others and the master go on
      void cs.failed.then((e) => process.stderr.write(`dfs local: chunkserver ${cs.id} stopped: ${e.message}\n`));
      servers.push(cs);
    }
    process.stderr.write(`dfs master listening on ${master.address}\n`);
    if (master.httpAddress) process.stderr.write(`dfs master http on ${master.httpAddress} (dashboard http://${master.httpAddress}/)\n`);
    if (flags.mount !== undefined) mount = await tryMount(config, master.address, String(flags.mount));
    printLocalHelp(master.address, config.local.chunkservers, dir, mount ? flags.mount : undefined); // no ls hint for a mount that failed
    await untilStopSignal();
    process.stderr.write('dfs local: stopping\n');
  } finally {
    await mount?.unmount().catch((e) => process.stderr.write(`dfs: unmount failed: ${asDfsError(e).message}\n`));
    for (const s of servers.reverse()) await s.stop().catch(() => {});
    await master.stop();
  }
  return EXIT_OK;
}

async function tryMount(config: Config, masterAddress: string, mountpoint: string): Promise<{ unmount(): Promise<void> } | undefined> {
  try {
    const { startMount } = await import('./mount/mount');
    const m = await startMount({ config, masterAddress, mountpoint: resolveDir(mountpoint) });
    process.stderr.write(`dfs mounted at ${m.mountpoint}\n`);
    return m;
  } catch (e) {
    const reason = asDfsError(e).message.replace(/^cannot mount at \S+: /, ''); // startMount names the folder too
    process.stderr.write(`dfs: warning: cannot mount at '${mountpoint}': ${reason}; continuing without the mount\n`);
    return undefined;
  }
}

function printLocalHelp(address: string, count: number, dir: string, mountpoint: unknown): void {
  const m = address === '127.0.0.1:7000' ? '' : ` --master ${address}`;
  process.stderr.write([
    `dfs local: master ${address} + ${count} chunkservers, data in ${dir}`,
    'try, from another terminal:',
    `  ./bin/dfs${m} put ./some-file /`,
    `  ./bin/dfs${m} ls -l /`,
    `  ./bin/dfs${m} cat /some-file | sha256sum`,
    `  ./bin/dfs${m} nodes`,
    ...(mountpoint !== undefined ? [`  ls -l ${String(mountpoint)}`] : []),
    'Ctrl-C stops the cluster; starting it again keeps the files.',
    '',
  ].join('\n'));
}

async function runMount(mountpoint: string, flags: Flags): Promise<number> {
  const config = configFor('mount', flags);
  const { startMount } = await import('./mount/mount');
  let m: Awaited<ReturnType<typeof startMount>>;
  try {
    m = await startMount({ config, masterAddress: config.master.address, mountpoint: resolveDir(mountpoint) });
  } catch (e) {
    process.stderr.write(`${errorLine(e, 'mount at', mountpoint)}\n`);
    if (isTransport(asDfsError(e).code)) printMasterHint(config.master.address);
    return EXIT_FAIL;
  }
  process.stderr.write(`dfs mounted ${config.master.address} at ${m.mountpoint}; Ctrl-C to unmount\n`);
  onForcedExit = () => m.abandon();
  // ends on a signal, or when the folder was unmounted from outside (dfs umount, fusermount -u)
  const outside = await Promise.race([untilStopSignal().then(() => false), m.gone.then(() => true)]);
  if (outside) process.stderr.write(`dfs: ${m.mountpoint} was unmounted; stopping\n`);
  await m.unmount();
  return EXIT_OK;
}

/** Mount points of this machine, from /proc/self/mountinfo (never touches a mount itself). */
function mountPoints(): Set<string> {
  const unescape = (p: string) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  try {
    return new Set(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => unescape(l.split(' ')[4] ?? '')));
  } catch {
    return new Set();
  }
}

function runUmount(mountpoint: string): number {
  const path = resolveDir(mountpoint);
  const points = mountPoints();
  const listed = (p: string) => points.has(resolve(p));
  const exists = (): boolean => existsSync(path);
  if (points.size > 0 && !listed(path) && !(exists() && listed(realpathSync(path)))) {
    const reason = exists() ? 'not mounted' : 'No such file or directory';
    process.stderr.write(`dfs: cannot unmount '${mountpoint}': ${reason}\n`);
    return EXIT_FAIL;
  }
  for (const [cmd, args] of [['fusermount', ['-u', path]], ['fusermount3', ['-u', path]], ['umount', ['-l', path]]] as const) {
    const r = spawnSync(cmd, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status === 0) return EXIT_OK;
    if (cmd === 'umount') process.stderr.write(`dfs: cannot unmount '${mountpoint}': ${(r.stderr?.toString() || String(r.error?.message ?? 'failed')).trim()}\n`);
  }
  return EXIT_FAIL;
}

// ------------------------------------------------------------------ commands

function buildCli(): { cli: CAC; result: { promise?: Promise<number> } } {
  const cli = cac('dfs');
  const result: { promise?: Promise<number> } = {};
  const act = (fn: (...args: any[]) => Promise<number> | number) => (...args: any[]) => {
    result.promise = Promise.resolve().then(() => fn(...args.map(emptyArgsRestored)));
  };
  cli.option('--config <file>', 'Configuration file (default: dfs.config.json of the installation, or $DFS_CONFIG)');
  cli.option('--master <host:port>', 'Master address (overrides master.address)');
  cli.option('--log-level <level>', 'trace, debug, info, warn, error, fatal or silent (overrides log.level and $DFS_LOG_LEVEL)');
  cli.option('--log-format <format>', 'auto (text on a terminal, else JSON), json or pretty (overrides log.format)');

  cli.command('master', 'Run the master').option('--listen <host:port>', 'Listen address (port 0 = any free port)').option('--meta-dir <dir>', 'Namespace folder')
    .option('--http-listen <host:port>', 'Dashboard, /api, /metrics and /fs gateway address ("" = off; default master.httpListen)')
    .example('dfs master --listen 0.0.0.0:7000 --meta-dir /var/lib/dfs/master').example('dfs master --http-listen 0.0.0.0:7080').action(act((f: Flags) => runMaster(f)));
  cli.command('chunkserver', 'Run a chunkserver').option('--listen <host:port>', 'Listen address').option('--data-dir <dir>', 'Chunk folder')
    .option('--id <name>', 'Stable server id').option('--advertise <host:port>', 'Address announced to the master and clients')
    .option('--http-listen <host:port>', '/metrics address ("" = off; default chunkserver.httpListen)')
    .example('dfs chunkserver --master m1:7000 --listen 0.0.0.0:7100 --advertise cs1:7100 --data-dir /var/lib/dfs/chunks --id cs1')
    .action(act((f: Flags) => runChunkserver(f)));
  cli.command('local', 'Run a master and N chunkservers in this process').option('--dir <dir>', 'Data folder (default local.dir)')
    .option('--chunkservers <n>', 'Number of chunkservers').option('--listen <host:port>', 'Master listen address').option('--mount <dir>', 'Also mount the file system here')
    .option('--http-listen <host:port>', 'Master dashboard address (default master.httpListen)')
    .example('dfs local --dir .dfs --chunkservers 3 --mount .dfs/mnt').action(act((f: Flags) => runLocal(f)));
  cli.command('mount <mountpoint>', 'Mount the file system (foreground; Ctrl-C unmounts)').example('dfs --master m1:7000 mount /mnt/dfs')
    .action(act((mp: string, f: Flags) => runMount(arg(mp), f)));
  cli.command('umount <mountpoint>', 'Unmount a dfs mount').example('dfs umount /mnt/dfs').action(act((mp: string) => runUmount(arg(mp))));

  addClientCommands(cli, act);
  cli.command('completion <shell>', 'Print a bash or zsh completion script')
    .example('source <(dfs completion bash)').example('dfs completion zsh > "${fpath[1]}/_dfs"')
    .action(act((shell: string) => runCompletion(cli, String(shell))));
  addAdminCommands(cli, act);
  cli.help();
  cli.version((JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version);
  return { cli, result };
}

type Act = (fn: (...args: any[]) => Promise<number> | number) => (...args: any[]) => void;

function addClientCommands(cli: CAC, act: Act): void {
  const put = cli.command('put <local> <remote>', 'Upload a file (- = stdin); visible only once complete (alias: upload)').alias('upload')
    .option('--chunk-size <size>', 'Chunk size of the new file (K/M/G suffixes)').option('--replication <n>', 'Replica count of the new file')
    .option('--no-overwrite', 'Fail when the remote file exists (default: replace it)').option('-q, --quiet', 'No progress bar or summary line (they show on a terminal only)')
    .example('dfs put ./photo.jpg /photos/').example('tar c dir | dfs put - /backups/dir.tar')
    .action(act((l: string, r: string, f: Flags) => withClient(f, (c) => commands.cmdPut(c, io(!f.quiet), arg(l), arg(r), f))));
  // cac prints a --no-X flag's implied default as "(default: true)", which reads as if the flag
  // were on by default; absent, the flag is undefined and put overwrites (PutFlags.overwrite)
  for (const o of put.options) if (o.negated) o.config.default = undefined;
  cli.command('get <remote> <local>', 'Download a file (- = stdout), verified against its SHA-256 (alias: download)').alias('download')
    .option('-q, --quiet', 'No progress bar or summary line (they show on a terminal only)').example('dfs get /photos/photo.jpg .').example('dfs get -q /logs/app.log - | grep ERROR')
    .action(act((r: string, l: string, f: Flags) => withClient(f, (c) => commands.cmdGet(c, io(!f.quiet), arg(r), arg(l)))));
  cli.command('cat <...paths>', 'Print files').example('dfs cat /notes.txt')
    .action(act((p: string[], f: Flags) => withClient(f, (c) => commands.cmdCat(c, io(false), p.map(arg)))));
  cli.command('ls [...paths]', 'List directories (default /) and files: mode, replication, size, mtime, name').option('-l, --long', 'Also show uid and gid')
    .option('-R, --recursive', 'List subdirectories recursively').example('dfs ls -R /photos').example('dfs ls -l /photos /logs/app.log')
    .action(act((p: string[], f: Flags) => withClient(f, (c) => commands.cmdLs(c, io(false), p.length === 0 ? ['/'] : p.map(arg), { long: f.long, recursive: f.recursive }))));
  cli.command('mkdir <...paths>', 'Create directories').option('-p, --parents', 'Create missing parents; no error if it exists').example('dfs mkdir -p /a/b/c')
    .action(act((p: string[], f: Flags) => withClient(f, (c) => commands.cmdMkdir(c, io(false), p.map(arg), { parents: f.parents }))));
  cli.command('rm <...paths>', 'Remove files (and directories with -r)').option('-r, --recursive', 'Remove directories and their contents')
    .option('-f, --force', 'Ignore missing files').option('--skip-trash', 'Delete at once instead of moving to /.trash (cluster.trashRetentionMs)')
    .example('dfs rm -r /old').example('dfs rm --skip-trash /big.iso')
    .action(act((p: string[], f: Flags) => withClient(f, (c, config) => commands.cmdRm(c, io(false), p.map(arg), {
      recursive: f.recursive, force: f.force, skipTrash: f.skipTrash, trashRetentionMs: config.cluster.trashRetentionMs,
    }))));
  cli.command('mv <src> <dst>', 'Rename atomically (into DST if it is a directory)').example('dfs mv /a.txt /docs/')
    .action(act((s: string, d: string, f: Flags) => withClient(f, (c) => commands.cmdMv(c, io(false), arg(s), arg(d)))));
  cli.command('stat <...paths>', 'All attributes of a file or directory, its chunks and replicas').example('dfs stat /photos/photo.jpg')
    .action(act((p: string[], f: Flags) => withClient(f, (c) => commands.cmdStat(c, io(false), p.map(arg)))));
  cli.command('nodes', 'List the chunkservers').example('dfs --master m1:7000 nodes')
    .action(act((f: Flags) => withClient(f, (c) => commands.cmdNodes(c, io(false)))));
  cli.command('df', 'Cluster capacity, used and free space').example('dfs df')
    .action(act((f: Flags) => withClient(f, (c) => commands.cmdDf(c, io(false)))));
  cli.command('config', 'Print the effective configuration as JSON').example('DFS_CLUSTER_REPLICATION=2 dfs config')
    .action(act((f: Flags) => { process.stdout.write(JSON.stringify(configFor('config', f), null, 2) + '\n'); return EXIT_OK; }));
}

/** Administration (issue 4): fsck, setrep, safemode, decommission, recommission, balance. */
function addAdminCommands(cli: CAC, act: Act): void {
  const withAdmin = (f: Flags, fn: (a: admin.AdminClient, c: DfsClient) => Promise<number>) => withClient(f, async (c, config) => {
    const a = admin.adminClient({ ...config, master: { ...config.master, address: c.masterAddress } });
    try { return await fn(a, c); } finally { a.close(); }
  });
  cli.command('fsck [path]', 'Check chunk health: under/over/mis-replicated, corrupt, missing (exit 1 when data is lost)')
    .option('--problems-max <n>', 'List at most N problem chunks (default 1000)').example('dfs fsck /photos')
    .action(act((p: string | undefined, f: Flags) => withAdmin(f, (a) => admin.cmdFsck(a, io(false), p === undefined ? '/' : arg(p), f))));
  cli.command('setrep <n> <path>', 'Change the replica goal; the cluster converges in the background')
    .option('-R, --recursive', 'Accepted as hdfs does: a directory is always changed whole').option('-w, --wait', 'Wait until every chunk has N replicas')
    .option('--timeout <s>', 'Bound of --wait in seconds (default 600)').example('dfs setrep -R -w 2 /logs')
    .action(act((n: unknown, p: string, f: Flags) => withAdmin(f, (a, c) => admin.cmdSetrep(c, a, io(false), n, arg(p), f))));
  cli.command('safemode [action]', 'Safe mode: get (default), enter, leave, or wait until it is off')
    .option('--timeout <s>', 'Bound of wait in seconds (default 600)').example('dfs safemode wait')
    .action(act((x: string | undefined, f: Flags) => withAdmin(f, (a) => admin.cmdSafeMode(a, io(false), x === undefined ? undefined : arg(x), f))));
  cli.command('decommission <...nodes>', 'Drain chunkservers (by id or address): their replicas are copied elsewhere')
    .example('dfs decommission cs3').action(act((n: string[], f: Flags) => withAdmin(f, (a, c) => admin.cmdDecommission(a, c, io(false), n.map(arg), false))));
  cli.command('recommission <...nodes>', 'Put drained chunkservers back in service')
    .example('dfs recommission cs3').action(act((n: string[], f: Flags) => withAdmin(f, (a, c) => admin.cmdDecommission(a, c, io(false), n.map(arg), true))));
  cli.command('balance', 'Move replicas from fuller to emptier chunkservers until all are within the threshold of the mean')
    .option('--threshold <pct>', 'Percentage points from the mean utilisation (default 10)').option('--timeout <s>', 'Give up after this many seconds (default 600)')
    .example('dfs balance --threshold 5').action(act((f: Flags) => withAdmin(f, (a) => admin.cmdBalance(a, io(false), f))));
}

function runCompletion(cli: CAC, shell: string): number {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError('EINVAL', `unsupported shell '${shell}' (expected bash or zsh)`);
  // the flags as typed (`--no-overwrite`, not cac's name for it, `overwrite`)
  const spec = (o: { rawName: string; description: string }): OptionSpec => ({
    names: o.rawName.split(',').map((part) => part.trim().split(/\s/)[0]),
    description: o.description, takesValue: /[<[]/.test(o.rawName),
  });
  const commandSpecs: CommandSpec[] = cli.commands.filter((c) => c.name !== '').map((c) => ({
    name: c.name, description: c.description, options: c.options.filter((o) => o.name !== 'help').map(spec), aliases: c.aliasNames,
  }));
  const globals = cli.globalCommand.options.filter((o) => o.name !== 'help').map(spec);
  process.stdout.write(completionScript(shell, commandSpecs, globals));
  return EXIT_OK;
}

// ------------------------------------------------------------------ main

function usageError(message: string, command?: string): number {
  // cac names an unknown option camelCased (`--bogusFlag`): as typed, kebab-case
  message = message.replace(/`--([A-Za-z0-9]+)`/g, (_, name: string) => `\`--${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}\``);
  process.stderr.write(`dfs: ${message}\nTry 'dfs ${command ? command + ' ' : ''}--help' for more information.\n`);
  return EXIT_USAGE;
}

/**
 * cac 7 tells its parser (mri) the camelCased names of boolean flags, so a kebab-case boolean
 * as typed (`--skip-trash`) was not known as one and took the next argument as its value:
 * `dfs rm --skip-trash /a /b` removed /b only. Such flags are passed on camelCased.
 */
function camelCasedBooleanFlags(cli: CAC, argv: string[]): string[] {
  const names = new Map<string, string>();
  const valued = new Set<string>();
  for (const c of [cli.globalCommand, ...cli.commands]) {
    for (const o of c.options) {
      for (const raw of o.rawName.split(',')) {
        const flag = raw.trim().split(/\s/)[0];
        if (/[<[]/.test(o.rawName)) valued.add(flag);
        else if (!o.negated && /^--[a-z0-9]+(-[a-z0-9]+)+$/.test(flag)) names.set(flag, `--${o.names[0]}`);
      }
    }
  }
  const end = argv.indexOf('--');
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (i < 2 || (end !== -1 && i >= end)) out.push(a);
    // a negative value (`--chunk-size -1`) is the option's value, not an unknown option `-1`: its check says what is wrong
    else if (valued.has(a) && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${a}=${argv[++i]}`);
    else out.push(names.get(a) ?? a);
  }
  return out;
}

/**
 * mri gives an option it does not know the next word as its value: `dfs --bogus ls /` took `ls`
 * for the value of --bogus and `/` for the command. An option before the command that neither
 * the globals nor any command has is refused here, as cac refuses one after the command.
 */
function checkOptionsBeforeCommand(cli: CAC, argv: string[]): void {
  const flagsOf = (commands: Command[]): Map<string, boolean> => {
    const takesValue = new Map<string, boolean>(); // a flag as typed, and as cac names it (camelCased)
    for (const c of commands) {
      for (const o of c.options) {
        const valued = /[<[]/.test(o.rawName);
        for (const raw of o.rawName.split(',')) takesValue.set(raw.trim().split(/\s/)[0], valued);
        for (const name of o.names) takesValue.set(name.length === 1 ? `-${name}` : `--${name}`, valued);
      }
    }
    return takesValue;
  };
  // only the global options go before the command: cac does not know a command's boolean flags
  // there, so `dfs -q ls /x` gave -q the word `ls` and said "unknown command '/x'"
  const takesValue = flagsOf([cli.globalCommand]);
  const ofCommands = flagsOf(cli.commands);
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' || !a.startsWith('-') || a === '-') return; // the command (or operands) from here
    if (a.startsWith('--') && a.includes('=')) continue; // carries its value: cac checks the name
    const flags = a.startsWith('--') ? [a] : [...a.slice(1)].map((c) => `-${c}`);
    const unknown = flags.find((f) => !takesValue.has(f));
    if (unknown !== undefined && ofCommands.has(unknown)) throw new Error(`Option \`${unknown}\` goes after the command (dfs COMMAND ${unknown} ...)`);
    if (unknown !== undefined) throw new Error(`Unknown option \`${unknown}\``);
    if (takesValue.get(flags[flags.length - 1])) i++;
  }
}

export async function main(argv: string[]): Promise<number> {
  const { cli, result } = buildCli();
  try {
    checkOptionsBeforeCommand(cli, argv);
    const args = camelCasedBooleanFlags(cli, argv.map((a, i) => (i < 2 ? a : a === '-' ? STDIO_ARG : a === '' ? EMPTY_ARG : a)));
    const parsed = cli.parse(args, { run: false });
    if (parsed.options.version && cli.matchedCommand) cli.outputVersion(); // cac prints it only without a command
    if (parsed.options.help || parsed.options.version) return EXIT_OK;
    if (!cli.matchedCommand) {
      if (parsed.args.length > 0) process.stderr.write(`dfs: unknown command '${parsed.args[0]}'\n`);
      cli.outputHelp();
      return EXIT_USAGE;
    }
    if (cli.matchedCommandName !== 'master') tuneMalloc(); // the data path's frames (malloc-tune.ts)
    // what follows `--` is operands, even if it starts with '-' (`dfs cat -- /-x`); cac keeps it apart
    const operands = cli.options['--'] as string[] | undefined;
    if (operands && operands.length > 0) {
      cli.args = [...cli.args, ...operands];
      delete cli.options['--'];
    }
    cli.runMatchedCommand();
  } catch (e) {
    return usageError((e as Error).message, cli.matchedCommandName);
  }
  try {
    return await (result.promise ?? Promise.resolve(EXIT_OK));
  } catch (e) {
    const err = asDfsError(e);
    if (err.code === 'BAD_CONFIG') {
      process.stderr.write(`dfs: ${err.message}\n`);
      return EXIT_USAGE;
    }
    else if (e instanceof UsageError) return usageError(err.message, cli.matchedCommandName);
    // a server that cannot start says why (its folder in use, its port taken), not only the errno's words
    else if (SERVER_COMMANDS.has(cli.matchedCommandName ?? '')) process.stderr.write(`dfs: ${cli.matchedCommandName}: ${err.message}\n`);
    else process.stderr.write(errorLine(err, undefined, cli.matchedCommandName ?? 'dfs') + '\n');
    if (isTransport(err.code) && clientMasterAddress) printMasterHint(clientMasterAddress);
    return signalCount > 0 ? EXIT_INTERRUPTED : EXIT_FAIL;
  }
}

const SERVER_COMMANDS = new Set(['master', 'chunkserver', 'mount', 'local']);

function printMasterHint(address: string): void {
  process.stderr.write(`dfs: is the master running at ${address}?\n`);
}

function isTransport(code: string): boolean {
  return code === 'UNAVAILABLE' || code === 'ETIMEDOUT';
}

// bin/dfs requires this file, so it is not require.main there.
if (require.main === module || /[\\/]bin[\\/]dfs$/.test(require.main?.filename ?? '')) {
  installSignals();
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(EXIT_OK); });
  // Library timers (retry backoff) are unref'd; without a ref'd handle the loop could drain in the
  // middle of a command, and Node would exit 0 with the command unfinished.
  const keepAlive = setInterval(() => {}, 1 << 30);
  main(process.argv).finally(() => clearInterval(keepAlive)).then((code) => {
    const status = signalCount > 0 && code !== EXIT_OK ? EXIT_INTERRUPTED : code;
    process.exitCode = status;
    // Anything still holding the loop (a server's sockets draining) must not keep a finished command alive.
    setTimeout(() => process.exit(status), 2_000).unref();
  }, (e) => {
    process.stderr.write(`dfs: ${asDfsError(e).message}\n`);
    process.exit(EXIT_FAIL);
  });
}

/** The machine a benchmark ran on, for the header of the table and the JSON. */
import { cpus, totalmem, release, hostname } from 'node:os';
import { statfsSync, readFileSync } from 'node:fs';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  /** Free space of the file system holding the benchmark's temp folder. */
  diskFreeBytes: number;
  diskTotalBytes: number;
  tempDir: string;
  nodeVersion: string;
  kernel: string;
  hostname: string;
}

export function machineInfo(tempDir: string): MachineInfo {
  let diskFreeBytes = 0;
  let diskTotalBytes = 0;
  try {
    const s = statfsSync(tempDir);
    diskFreeBytes = s.bavail * s.bsize;
    diskTotalBytes = s.blocks * s.bsize;
  } catch { /* reported as 0 */ }
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryBytes: totalmem(),
    diskFreeBytes,
    diskTotalBytes,
    tempDir,
    nodeVersion: process.version,
    kernel: release(),
    hostname: hostname(),
  };
}

function cpuModel(): string {
  const fromOs = cpus()[0]?.model?.trim();
  if (fromOs) return fromOs;
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch { /* unknown */ }
  return 'unknown';
}

export function formatMachine(m: MachineInfo): string {
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  return [
    `machine: ${m.cpuModel}, ${m.cores} cores, ${gib(m.memoryBytes)} RAM, node ${m.nodeVersion}, linux ${m.kernel}`,
    `disk:    ${gib(m.diskFreeBytes)} free of ${gib(m.diskTotalBytes)} (temp folder ${m.tempDir})`,
  ].join('\n');
}

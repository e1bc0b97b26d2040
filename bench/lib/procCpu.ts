/**
 * CPU time of a process tree (a browser's renderer with its workers, GPU and utility processes), from
 * /proc/<pid>/stat: user + system time of every descendant of a pid, in milliseconds. On a shared machine
 * this is the figure that does not grow with other people's load (wall time does). Linux only; elsewhere
 * null. Processes that end between two readings take their time with them.
 */
import { readFileSync } from 'node:fs';
import { children } from './procmem';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function descendantsCpuMs(root = process.pid): number | null {
  if (process.platform !== 'linux') return null;
  const tree = children();
  let ticks = 0;
  const stack = [...(tree.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += cpuTicks(pid);
    stack.push(...(tree.get(pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

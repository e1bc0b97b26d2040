/**
 * Peak memory of a process tree (a browser and its renderers, GPU and utility processes), sampled from
 * /proc: the sum of PSS (proportional set size: shared pages counted once across the tree) of every
 * descendant of a pid. Linux only; elsewhere the peak is reported as unknown.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(entry));
      byParent.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  return byParent;
}

function pssBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function descendantsPss(root: number): number {
  const tree = children();
  let total = 0;
  const stack = [...(tree.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    total += pssBytes(pid);
    stack.push(...(tree.get(pid) ?? []));
  }
  return total;
}

/** Samples the descendants of this process every `everyMs` until stopped; returns the largest sum seen. */
export function samplePeak(everyMs = 250): { stop(): number } {
  let peak = 0;
  const tick = () => {
    peak = Math.max(peak, descendantsPss(process.pid));
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}

/**
 * This process's peak RSS. VmHWM belongs to the address space made at exec, while getrusage's ru_maxrss
 * also keeps the parent's peak when the child was spawned by vfork (as libuv does), so it would report
 * the harness's memory rather than the run's.
 */
export function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

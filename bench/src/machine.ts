import { readFileSync } from 'node:fs';
import os from 'node:os';

/** One line describing where the numbers come from. */
export function describeMachine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model?.[1]) cpu = model[1].trim();
  } catch {
    // Not Linux: os.cpus() is all we have.
  }
  const memory = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
  return `Node ${process.version} (V8 ${process.versions.v8}), ${cpu}, ${os.availableParallelism()} cores, ${memory} GiB RAM, ${os.platform()} ${os.release()}, load average at start ${load}`;
}

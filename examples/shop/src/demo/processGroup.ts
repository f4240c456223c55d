import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** A child the demo started, leader of its own process group. */
export interface DemoChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last lines it printed (stdout and stderr), for error messages. */
  readonly recent: string[];
  /** Emits `line` for every line it prints. */
  readonly lines: EventEmitter;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/**
 * Starts children each in its own process group (`detached`) and stops them by group: a child's
 * own children (a shell, the collector's workers) go with it, and a Ctrl-C in the terminal, which
 * signals only the demo's group, cannot leave half of them running.
 */
export class ProcessGroup {
  private readonly children: DemoChild[] = [];

  /** Names and pids of what is running. */
  get running(): readonly DemoChild[] {
    return this.children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
  }

  /**
   * Starts `command` as the leader of a new process group. With `lifeline`, its stdin is a pipe the
   * demo never writes to: if the demo dies, even by SIGKILL, the child reads EOF and can stop itself.
   */
  start(
    name: string,
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void; lifeline?: boolean } = {},
  ): DemoChild {
    const child = spawn(command, args, {
      detached: true,
      stdio: [options.lifeline ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const recent: string[] = [];
    const lines = new EventEmitter();
    const exited = once(child, 'exit').then(() => undefined);
    const record = (line: string) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      options.onLine?.(line);
      lines.emit('line', line);
    };
    createInterface({ input: child.stdout! }).on('line', record);
    createInterface({ input: child.stderr! }).on('line', record);
    const entry: DemoChild = { name, process: child, pid: child.pid, recent, lines, exited };
    this.children.push(entry);
    return entry;
  }

  /** SIGTERM to every group, SIGKILL to any group still there after `graceMs`. */
  async stopAll(graceMs = 5000): Promise<void> {
    const running = [...this.children].reverse();
    for (const child of running) signalGroup(child.pid, 'SIGTERM');
    const deadline = sleep(graceMs).then(() => 'timeout' as const);
    for (const child of running) {
      if ((await Promise.race([child.exited.then(() => 'exited' as const), deadline])) === 'timeout') signalGroup(child.pid, 'SIGKILL');
    }
    // The leader may be gone while group members linger: make sure the whole group is.
    for (const child of running) signalGroup(child.pid, 'SIGKILL');
    await Promise.all(running.map((child) => child.exited));
  }

  /** Last resort on process exit: synchronous SIGKILL to every group. */
  killAllNow(): void {
    for (const child of this.children) signalGroup(child.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

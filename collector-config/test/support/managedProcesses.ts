import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started by a test, with its output in a log file. */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      // A spawn failure (binary missing) emits 'error' and no 'exit'.
      child.once('error', (error) => {
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
        this.spawnError = error;
      });
    });
  }

  spawnError: Error | undefined;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines of the process's output, for failure messages. */
  logTail(lines = 30): string {
    try {
      const text = readFileSync(this.logPath, 'utf8').trimEnd().split('\n');
      return `--- ${this.name} (${this.logPath}), last ${lines} lines ---\n${text.slice(-lines).join('\n')}`;
    } catch {
      return `--- ${this.name}: no log at ${this.logPath} ---`;
    }
  }

  /** Sends `signal`; SIGKILL if still alive after `graceMs`. Resolves when it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10000): Promise<ProcessExit> {
    if (!this.running) return this.exitInfo as ProcessExit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Every process a test file starts, so `stopAll()` in afterAll (and an exit hook, should jest
 * tear the worker down first) leaves none behind.
 */
export class ProcessGroup {
  private readonly processes: ManagedProcess[] = [];
  private readonly killOnExit = (): void => {
    for (const managed of this.processes) if (managed.running) managed.child.kill('SIGKILL');
  };

  constructor() {
    process.once('exit', this.killOnExit);
  }

  /** Starts `command` with stdout and stderr appended to `logPath`. */
  start(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logPath: string }): ManagedProcess {
    const log = openSync(options.logPath, 'a');
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', log, log],
      });
      const managed = new ManagedProcess(name, child, options.logPath);
      this.processes.push(managed);
      return managed;
    } finally {
      closeSync(log);
    }
  }

  /** Output of every process, for a failing test's message. */
  logTails(lines = 20): string {
    return this.processes.map((managed) => managed.logTail(lines)).join('\n');
  }

  /** SIGTERM to all (SIGKILL after the grace period), in reverse start order. */
  async stopAll(graceMs = 10000): Promise<void> {
    for (const managed of [...this.processes].reverse()) await managed.stop('SIGTERM', graceMs);
    process.removeListener('exit', this.killOnExit);
  }
}

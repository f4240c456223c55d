import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of `ProcessGroup.start`. */
export interface StartProcessOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Append stdout and stderr to this file (kept for post-mortems); without it, output is kept in memory. */
  readonly logPath?: string;
}

/** A child process started by a test, its output in a log file or in memory. */
export class ManagedProcess {
  /** Resolves when the process has exited (or could not be spawned). */
  readonly exited: Promise<ProcessExit>;
  /** Set when the program could not be started at all (e.g. not installed). */
  spawnError: Error | undefined;
  private exitInfo: ProcessExit | undefined;
  private output = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logPath?: string,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo ??= { code, signal };
        resolve(this.exitInfo);
      });
      // A spawn failure (binary missing) emits 'error' and no 'exit'.
      child.once('error', (error) => {
        this.spawnError = error;
        this.exitInfo ??= { code: -1, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it ended, once it has; `undefined` while it runs. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** Why it is not running, in words (`could not be started: …`, `exited with code 1`); `undefined` while it runs. */
  get exitReason(): string | undefined {
    if (this.exitInfo === undefined) return undefined;
    if (this.spawnError !== undefined) return `could not be started: ${this.spawnError.message}`;
    return `exited with ${this.exitInfo.signal ?? `code ${String(this.exitInfo.code)}`}`;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Everything the process printed so far. */
  log(): string {
    if (this.logPath === undefined) return this.output;
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last lines of the process's output (and why it could not start), for failure messages. */
  logTail(lines = 30): string {
    const where = this.logPath === undefined ? '' : ` (${this.logPath})`;
    const spawn = this.spawnError === undefined ? '' : `spawn error: ${this.spawnError.message}\n`;
    const text = this.log().trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${this.name}${where}, last ${lines} lines ---\n${spawn}${text}`;
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
 * Every process a test file starts, so `stopAll()` in afterAll (and an exit hook, should jest tear the
 * worker down first) leaves none behind.
 */
export class ProcessGroup {
  private readonly processes: ManagedProcess[] = [];
  private readonly killOnExit = (): void => {
    for (const managed of this.processes) if (managed.running) managed.child.kill('SIGKILL');
  };

  constructor() {
    process.once('exit', this.killOnExit);
  }

  /** Starts `command` (no shell) with its output in `options.logPath` or in memory. */
  start(name: string, command: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
    const log = options.logPath === undefined ? undefined : openSync(options.logPath, 'a');
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', log ?? 'pipe', log ?? 'pipe'],
      });
      const managed = new ManagedProcess(name, child, options.logPath);
      this.processes.push(managed);
      return managed;
    } finally {
      if (log !== undefined) closeSync(log);
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

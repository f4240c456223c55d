import { ErrorReply } from 'redis';
import type { LuaScript } from './luaScript';
import type { RedisOperation } from './redisOperation';
import type { RedisStoreHealth } from './redisStoreHealth';

/** One script call waiting for Redis. Every script the stores send is idempotent or claims atomically, so a retry never counts twice. */
export interface QueuedCommand {
  readonly operation: RedisOperation;
  readonly script: LuaScript;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  /** Called once with Redis's answer, in the background (never on the caller's path). */
  readonly onReply: (reply: unknown) => void;
}

/** The part of a node-redis client the buffer uses. */
export interface CommandConnection {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
}

export interface CommandBufferOptions {
  /** Commands kept while Redis is slow or down; past it new commands are dropped and counted. */
  readonly maxBufferedCommands: number;
  /** Commands written per pipeline. */
  readonly maxBatch: number;
  /** Wait before retrying after a failed batch when the client still claims to be ready. */
  readonly retryDelayMs: number;
}

/**
 * The bounded local buffer between the record path and Redis. `enqueue` only appends and returns;
 * a background flusher sends what is queued as one pipeline per batch (node-redis writes the
 * commands of one tick together) and hands each reply to its command. Failed commands go back to
 * the front of the buffer, in order, and are sent again once the client is ready.
 */
export class RedisCommandBuffer {
  private queue: QueuedCommand[] = [];
  private head = 0;
  private inFlight = 0;
  private scheduled = false;
  private draining = false;
  private scriptsLoaded = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: CommandConnection,
    private readonly scripts: readonly LuaScript[],
    private readonly health: RedisStoreHealth,
    private readonly options: CommandBufferOptions,
  ) {}

  /** Commands waiting, including those sent and not yet answered. */
  get size(): number {
    return this.queue.length - this.head + this.inFlight;
  }

  /** Queues a command; when the buffer is full it is dropped and counted instead. Never throws. */
  enqueue(command: QueuedCommand): void {
    if (this.size >= this.options.maxBufferedCommands) {
      this.health.dropped(command.operation, `the local buffer holds ${this.options.maxBufferedCommands} commands (maxBufferedCommands) while Redis is slow or down`);
      return;
    }
    this.queue.push(command);
    this.schedule();
  }

  /** The client (re)connected: scripts are loaded again (a restarted Redis has none) and the buffer is flushed. */
  connectionReady(): void {
    this.scriptsLoaded = false;
    this.schedule();
  }

  /** Sends what is queued until the buffer is empty, `timeoutMs` passes or Redis is unreachable. */
  async flush(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.size > 0 && performance.now() < deadline) {
      await this.drain();
      if (this.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops retry timers (the buffer's content is left as it is). */
  stop(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private schedule(): void {
    if (this.scheduled || this.draining) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain().catch((error: unknown) => this.health.error('connection', error));
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > this.head && this.connection.isReady) {
        if (!this.scriptsLoaded && !(await this.loadScripts())) return this.retryLater();
        const end = Math.min(this.queue.length, this.head + this.options.maxBatch);
        const batch = this.queue.slice(this.head, end);
        this.head = end;
        this.compact();
        this.inFlight += batch.length;
        const replies = await Promise.allSettled(batch.map((command) => this.connection.sendCommand(evalShaArgs(command))));
        this.inFlight -= batch.length;
        const retry: QueuedCommand[] = [];
        replies.forEach((reply, index) => {
          const command = batch[index] as QueuedCommand;
          if (reply.status === 'fulfilled') return deliver(command, reply.value, this.health);
          const error: unknown = reply.reason;
          this.health.error(command.operation, error);
          if (error instanceof ErrorReply && !error.message.startsWith('NOSCRIPT')) {
            this.health.dropped(command.operation, `Redis refused the command (${error.message})`);
          } else {
            if (error instanceof ErrorReply) this.scriptsLoaded = false;
            retry.push(command);
          }
        });
        if (retry.length > 0) {
          this.queue = retry.concat(this.queue.slice(this.head));
          this.head = 0;
          if (this.scriptsLoaded) return this.retryLater();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async loadScripts(): Promise<boolean> {
    try {
      await Promise.all(this.scripts.map((script) => this.connection.sendCommand(['SCRIPT', 'LOAD', script.source])));
      this.scriptsLoaded = true;
      return true;
    } catch (error) {
      this.health.error('connection', error);
      return false;
    }
  }

  /** A failed batch while the client still looks ready: try again shortly (a reconnect also triggers a flush). */
  private retryLater(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.schedule();
    }, this.options.retryDelayMs);
    this.retryTimer.unref();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

function evalShaArgs(command: QueuedCommand): string[] {
  return ['EVALSHA', command.script.sha, String(command.keys.length), ...command.keys, ...command.args];
}

function deliver(command: QueuedCommand, reply: unknown, health: RedisStoreHealth): void {
  try {
    command.onReply(reply);
  } catch (error) {
    // A reply handler records metrics; strict mode's refusals or a bug there must not stop the flusher.
    health.logOnce(`reply:${command.operation}`, () => `bizmetrics: recording the Redis answer of ${command.operation} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

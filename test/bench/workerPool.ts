import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerReply } from './workerProtocol.js';
import { REPO_ROOT } from './targetProcess.js';

const WORKER_FILE = fileURLToPath(new URL('./loadWorker.ts', import.meta.url));

/** The load-generator processes, each answering commands over IPC; every request bounded in time. */
export class WorkerPool<Command extends { type: string } = WorkerCommand> {
  private readonly children: ChildProcess[] = [];
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  private closed = false;

  /** `workerFile`: the worker's module (the control-plane load worker unless told). */
  constructor(count: number, workerFile = WORKER_FILE) {
    for (let i = 0; i < count; i++) {
      const child = fork(workerFile, [], {
        cwd: REPO_ROOT,
        execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (m: WorkerReply) => {
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        clearTimeout(w.timer);
        if (m.type === 'reply') w.resolve(m.data);
        else w.reject(new Error(`load worker ${i}: ${m.message}`));
      });
      child.on('exit', (code, signal) => {
        for (const [id, w] of this.waiting) {
          clearTimeout(w.timer);
          w.reject(new Error(`load worker ${i} exited (${code ?? signal})`));
          this.waiting.delete(id);
        }
      });
      this.children.push(child);
    }
  }

  get size(): number {
    return this.children.length;
  }

  pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  request<T>(worker: number, command: Command, timeoutMs = 120_000): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`load worker ${worker}: no answer to ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      const child = this.children[worker]!;
      if (!child.connected) {
        clearTimeout(timer);
        this.waiting.delete(id);
        return reject(new Error(`load worker ${worker} is gone`));
      }
      child.send({ id, command }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(err);
      });
    });
  }

  all<T>(command: (worker: number) => Command, timeoutMs?: number): Promise<T[]> {
    return Promise.all(this.children.map((_, i) => this.request<T>(i, command(i), timeoutMs)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.children.map((_, i) => this.request(i, { type: 'close' } as Command, 10_000)));
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

/** What a stop needs of the process: its signals, its exit, and where to say what happens. */
export interface StopProcess {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never;
}

/** Exit codes of a stop that did not finish: it ran out of time, or was cut short by a second signal. */
export const STOP_UNFINISHED = 1;
export const STOP_FORCED = 130;

/**
 * Stops the server on SIGINT or SIGTERM: it turns unready at once, closes its sockets, finishes the
 * recordings, writes the last audit checkpoint and closes the store, then exits 0. A stop that takes longer
 * than `timeoutMs` (a stalled disk, a peer that never answers) exits anyway, and a second signal exits at
 * once: an orchestrator, or an operator at the terminal, is never left waiting on it.
 */
export function stopOnSignals(
  server: { close(): Promise<void> },
  timeoutMs: number,
  say: { info(message: string): void; error(message: string): void },
  proc: StopProcess = process,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      say.error(`${signal} during the stop: exiting now, without finishing it`);
      return proc.exit(STOP_FORCED);
    }
    stopping = true;
    say.info(`${signal}: stopping (at most ${timeoutMs / 1000} s, SHUTDOWN_TIMEOUT_SECONDS; a second signal exits at once)`);
    setTimeout(() => {
      say.error(`the stop took longer than ${timeoutMs / 1000} s (SHUTDOWN_TIMEOUT_SECONDS): exiting anyway`);
      proc.exit(STOP_UNFINISHED);
    }, timeoutMs);
    server.close().then(
      () => {
        say.info('stopped');
        proc.exit(0);
      },
      (e: unknown) => {
        say.error(`the stop failed: ${e instanceof Error ? e.message : String(e)}`);
        proc.exit(STOP_UNFINISHED);
      },
    );
  };
  proc.on('SIGINT', () => stop('SIGINT'));
  proc.on('SIGTERM', () => stop('SIGTERM'));
}

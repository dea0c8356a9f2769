/**
 * Who is connected to this node: each user's open sockets, the agents' attached plugin sockets apart, and
 * the grace timers that let a dropped connection come back before its sessions end. It decides nothing:
 * the floor says what a departure means (`LiveFloor.socketClosed`).
 */
export class FloorConnections {
  /** user id → their open sockets; attached agent sockets counted apart */
  private readonly sockets = new Map<number, Set<string>>();
  private readonly agentSockets = new Map<number, Set<string>>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly graceMs: number) {}

  opened(userId: number, socketId: string): void {
    add(this.sockets, userId, socketId);
  }

  agentAttached(userId: number, socketId: string): void {
    add(this.agentSockets, userId, socketId);
  }

  /** Forgets the socket; tells whether it was an attached agent's. */
  closed(userId: number, socketId: string): { wasAgent: boolean } {
    remove(this.sockets, userId, socketId);
    return { wasAgent: remove(this.agentSockets, userId, socketId) };
  }

  hasSockets(userId: number): boolean {
    return (this.sockets.get(userId)?.size ?? 0) > 0;
  }

  isAgentAttached(userId: number): boolean {
    return (this.agentSockets.get(userId)?.size ?? 0) > 0;
  }

  attachedAgentIds(): number[] {
    return [...this.agentSockets.entries()].filter(([, s]) => s.size > 0).map(([id]) => id);
  }

  /** Runs `fn` after the grace unless `cancelGrace(key)` comes first; a second start restarts it. */
  startGrace(key: string, fn: () => void): void {
    this.cancelGrace(key);
    this.graceTimers.set(
      key,
      setTimeout(() => {
        this.graceTimers.delete(key);
        fn();
      }, this.graceMs),
    );
  }

  cancelGrace(key: string): void {
    const t = this.graceTimers.get(key);
    if (t) clearTimeout(t);
    this.graceTimers.delete(key);
  }

  close(): void {
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
  }
}

function add(map: Map<number, Set<string>>, userId: number, socketId: string): void {
  let set = map.get(userId);
  if (!set) map.set(userId, (set = new Set()));
  set.add(socketId);
}

function remove(map: Map<number, Set<string>>, userId: number, socketId: string): boolean {
  const set = map.get(userId);
  return set?.delete(socketId) ?? false;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/src/store/auditChain.js';
import { auditRecordFromRow, type AuditRow } from '../../server/src/store/auditRows.js';
import { planFor, planFromArgs } from './benchPlan.js';
import { buildRows, columnNamesOf } from './benchReport.js';
import { startTargetProcess, type TargetProcess } from './targetProcess.js';

describe('the audited relay in the plan and the report', () => {
  it('is asked for with --relay-audited, and is off by default', () => {
    expect(planFromArgs(['--preset', 'full']).relayAudited).toBe(false);
    expect(planFromArgs(['--preset', 'full', '--relay-audited']).relayAudited).toBe(true);
  });

  it('names its column, and judges no goal beside it (the goals are set against the bare relay)', () => {
    expect(columnNamesOf({ relayAudited: true })).toEqual({ ours: 'earshot', base: 'audited relay' });
    expect(columnNamesOf({ relayAudited: false })).toEqual({ ours: 'earshot', base: 'relay' });
    const goalsOf = (relayAudited: boolean) => buildRows(planFor('full', { relayAudited }), [], []).filter((r) => r.goal !== '');
    expect(goalsOf(false).map((r) => r.metric)).toContain('supervision start → agent notice p50 (ms)');
    expect(goalsOf(true)).toEqual([]);
  });
});

describe('the audited relay process', () => {
  const root = mkdtempSync(join(tmpdir(), 'earshot-audited-relay-test-'));
  const dataDir = join(root, 'data');
  let relay: TargetProcess | null = null;
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.close();
    await relay?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const connect = (port: number, identity: { userId: number; displayName: string; teamIds: number[]; listen: string[] }) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], auth: { relay: identity }, reconnection: false });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const ask = <T>(socket: Socket, event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;

  it("commits a start's open row and audit record before the agent's notice, and a stop's record before its end notice", async () => {
    relay = await startTargetProcess(
      ['--import', 'tsx', 'test/bench/relayServer.ts'],
      { PORT: '0', HOST: '127.0.0.1', RELAY_AUDIT_DIR: dataDir },
      /relay listening on (\d+)/,
      null,
    );
    const agent = await connect(relay.port, { userId: 7, displayName: 'Agent Seven', teamIds: [1], listen: ['user:7'] });
    const supervisor = await connect(relay.port, { userId: 3, displayName: 'Sup Three', teamIds: [], listen: ['user:3'] });
    const reader = new Database(join(dataDir, 'earshot.sqlite'), { readonly: true });
    try {
      const audit = () => (reader.prepare('SELECT * FROM audit ORDER BY id').all() as AuditRow[]).map(auditRecordFromRow);
      const openRows = () => reader.prepare('SELECT session_id, agent_id, supervisor_id, mode FROM open_supervisions').all();
      // What the store holds at the moment each notice reaches the agent.
      const seenAtNotice: { phase: string; actions: string[]; open: unknown[] }[] = [];
      const noticed = (phase: string) =>
        new Promise<void>((resolve) =>
          agent.on('notice:supervision', (n: { phase: string }) => {
            if (n.phase !== phase) return;
            seenAtNotice.push({ phase, actions: audit().map((r) => r.action), open: openRows() });
            resolve();
          }),
        );

      // While another connection holds the store's write lock the start cannot commit, so no notice may leave.
      const writer = new Database(join(dataDir, 'earshot.sqlite'));
      writer.exec('BEGIN IMMEDIATE');
      const started = noticed('started');
      const answered = ask<{ ok: true; data: { session: { sessionId: string } } }>(supervisor, 'supervise:start', { agentId: 7, mode: 'monitor' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seenAtNotice).toEqual([]);
      writer.exec('ROLLBACK');
      writer.close();
      const start = await answered;
      await started;
      const { sessionId } = start.data.session;
      expect(seenAtNotice[0]).toEqual({
        phase: 'started',
        actions: ['supervise:start'],
        open: [{ session_id: sessionId, agent_id: 7, supervisor_id: 3, mode: 'monitor' }],
      });

      const ended = noticed('ended');
      await ask(supervisor, 'supervise:stop', { sessionId });
      await ended;
      expect(seenAtNotice[1]).toEqual({ phase: 'ended', actions: ['supervise:start', 'supervise:stop'], open: [] });

      const records = audit();
      expect(records.map((r) => [r.action, r.actorId, r.actorName, r.targetId])).toEqual([
        ['supervise:start', 3, 'Sup Three', sessionId],
        ['supervise:stop', 3, 'Sup Three', sessionId],
      ]);
      expect(verifyAuditChain(records)).toEqual({ intact: true, count: 2, head: records[1]!.hash });
    } finally {
      reader.close();
    }
  }, 60_000);
});

import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  IdSchema, RecordingIdParamsSchema, RecordingsListQuerySchema, type Recording, type RecordingTicketResponse, type RightId,
} from '@earshot/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/auditLog.js';
import type { AuthService } from '../auth/authService.js';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { decideAccessAny } from '../domain/decideAccess.js';
import type { TokenSigner } from '../media/signedToken.js';
import type { Store, StoredRecording } from '../store/repositories.js';
import { invalidFromZod, toWireError } from '../wireError.js';
import { bearer, sendError } from './httpReply.js';

export interface RecordingsHttpDeps {
  auth: AuthService;
  store: Store;
  audit: AuditLog;
  recordingsDir: string;
  signer: TokenSigner;
  now: () => number;
}

/** A ticket lets a player seek for a while; rights, scope and the login are checked again on every use. */
const RECORDING_TICKET_TTL_MS = 60 * 60_000;
const DEFAULT_PAGE = 50;

const RecordingTicketSchema = z.object({ p: z.literal('recording'), r: IdSchema, u: IdSchema, l: IdSchema, e: z.number() });

/** Listing shows what the caller may act on: any of the three recording rights. */
const LIST_RIGHTS: readonly RightId[] = ['recording.playback', 'recording.export', 'recording.delete'];

const toWire = ({ file: _file, ...recording }: StoredRecording): Recording => recording;

/**
 * Headers of a file streamed out. `Connection: close`: the client has the whole body (Content-Length) a
 * moment before the file stream ends on this side; a server closing in that moment would not see the
 * connection idle and would keep it, and its own shutdown, waiting for the keep-alive timeout.
 */
const STREAMED = { 'Cache-Control': 'no-store', Connection: 'close' };

/** The agents whose recordings the actor's scope reaches (docs/permissions.md "Scope"); null: every agent. */
function agentsInScope(actor: Actor): number[] | null {
  if (actor.scope === 'all') return null;
  return actor.scope === 'own' ? [actor.id] : [actor.id, ...actor.managedUserIds];
}

function allow(actor: Actor, rights: readonly RightId[], targetUserId: number | null): void {
  const decision = decideAccessAny(actor, rights, targetUserId);
  if (!decision.allowed) throw new ActionError(decision.code, decision.message);
}

/**
 * `Range: bytes=a-b | a- | -n` (RFC 9110 §14). Several ranges, another unit or a malformed value ask
 * for the whole file, which the RFC allows; a range that starts past the end cannot be satisfied.
 */
export function parseByteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? null : { start, end };
}

interface AuditedRequest {
  actor: Actor | null;
  target: { type: string; id: string } | null;
  detail: Record<string, unknown>;
  /** A refusal answered by the handler itself (416), audited as refused. */
  refusal?: ActionError;
}

/**
 * Recordings over HTTP (docs/architecture.md "http: recordings download"): list, playback with range requests,
 * export, delete; each gated by its right (Playback Recording, Export Recording, Delete Recording) and the
 * scope over the recorded agent, and each request, done or refused, audited before it is answered.
 */
export async function registerRecordingRoutes(app: FastifyInstance, deps: RecordingsHttpDeps): Promise<void> {
  const audited = async (req: FastifyRequest, reply: FastifyReply, action: string, work: (a: AuditedRequest) => Promise<() => unknown>) => {
    const a: AuditedRequest = { actor: null, target: null, detail: {} };
    let answer: (() => unknown) | undefined;
    let failure: unknown;
    try {
      answer = await work(a);
    } catch (e) {
      failure = e;
      if (!(e instanceof ActionError)) req.log.error({ err: e }, `${action} failed`);
    }
    try {
      await deps.audit.record({ actor: a.actor, action, target: a.target, error: failure ?? a.refusal, detail: a.detail });
    } catch (e) {
      // Not answered as done when its audit record could not be written.
      req.log.error({ err: e }, `${action} (audit) failed`);
      return sendError(reply, e);
    }
    return failure === undefined ? answer!() : sendError(reply, failure);
  };

  /**
   * The caller: the Authorization header; or, where `ticketFor` names a recording (playback, export: what an
   * `<audio>` element or a download link opens), a ticket for that very recording. A ticket, which may be
   * seen in a URL, never deletes or mints another ticket.
   */
  const callerOf = async (req: FastifyRequest, ticketFor?: number): Promise<{ actor: Actor; loginId: number }> => {
    const ticket = (req.query as Record<string, unknown> | undefined)?.ticket;
    if (ticket === undefined || ticketFor === undefined) {
      const { actor, session } = await deps.auth.authenticate(bearer(req));
      return { actor, loginId: session.id };
    }
    const t = deps.signer.verify(ticket, RecordingTicketSchema);
    if (!t || t.r !== ticketFor) throw new ActionError('UNAUTHENTICATED', `The ticket is not valid for recording ${ticketFor}`);
    if (t.e < deps.now()) throw new ActionError('UNAUTHENTICATED', 'The ticket has expired; ask for a new one');
    const actor = (await deps.store.sessions.isActive(t.l, deps.now())) ? await deps.store.users.actor(t.u) : null;
    if (!actor) throw new ActionError('UNAUTHENTICATED', 'Your login has ended; log in again');
    return { actor, loginId: t.l };
  };

  /** Authenticates, checks the right, then finds the recording and checks the scope over its agent. */
  const recordingFor = async (req: FastifyRequest, a: AuditedRequest, rights: readonly RightId[], byTicket: boolean) => {
    const params = RecordingIdParamsSchema.safeParse(req.params);
    if (!params.success) throw invalidFromZod(params.error, 'id');
    const id = params.data.id;
    a.target = { type: 'recording', id: String(id) };
    const { actor, loginId } = await callerOf(req, byTicket ? id : undefined);
    a.actor = actor;
    allow(actor, rights, null);
    const recording = await deps.store.recordings.get(id);
    if (!recording) throw new ActionError('NOT_FOUND', `No recording ${id}`);
    a.detail.callId = recording.callId;
    a.detail.agentId = recording.agentId;
    allow(actor, rights, recording.agentId);
    return { recording, actor, loginId };
  };

  const fileOf = async (recording: StoredRecording) => {
    if (recording.endedAt === null) throw new ActionError('CONFLICT', `Recording ${recording.id} is still being recorded (call ${recording.callId})`);
    const path = join(deps.recordingsDir, basename(recording.file));
    try {
      return { path, size: (await stat(path)).size };
    } catch {
      throw new ActionError('NOT_FOUND', `The file of recording ${recording.id} is missing`);
    }
  };

  app.get('/api/recordings', (req, reply) =>
    audited(req, reply, 'recordings:list', async (a) => {
      a.actor = (await callerOf(req)).actor;
      const query = RecordingsListQuerySchema.safeParse(req.query ?? {});
      if (!query.success) throw invalidFromZod(query.error, 'query');
      a.detail.query = query.data;
      allow(a.actor, LIST_RIGHTS, query.data.agentId ?? null);
      const page = await deps.store.recordings.page({ ...query.data, agentIds: agentsInScope(a.actor), limit: query.data.limit ?? DEFAULT_PAGE });
      a.detail.count = page.recordings.length;
      return () => ({ ok: true, data: { recordings: page.recordings.map(toWire), nextBefore: page.nextBefore } });
    }),
  );

  app.post('/api/recordings/:id/ticket', (req, reply) =>
    audited(req, reply, 'recordings:ticket', async (a) => {
      const { recording, actor, loginId } = await recordingFor(req, a, ['recording.playback', 'recording.export'], false);
      const expiresAt = deps.now() + RECORDING_TICKET_TTL_MS;
      const ticket = deps.signer.sign({ p: 'recording', r: recording.id, u: actor.id, l: loginId, e: expiresAt });
      const q = `ticket=${encodeURIComponent(ticket)}`;
      const data: RecordingTicketResponse = {
        ticket, expiresAt, audioUrl: `/api/recordings/${recording.id}/audio?${q}`, exportUrl: `/api/recordings/${recording.id}/export?${q}`,
      };
      return () => ({ ok: true, data });
    }),
  );

  app.get('/api/recordings/:id/audio', (req, reply) =>
    audited(req, reply, 'recordings:play', async (a) => {
      const { recording } = await recordingFor(req, a, ['recording.playback'], true);
      const { path, size } = await fileOf(recording);
      const range = parseByteRange(req.headers.range, size);
      const headers = { 'Accept-Ranges': 'bytes', ...STREAMED };
      if (range === 'unsatisfiable') {
        const refusal = (a.refusal = new ActionError('INVALID', `Range: ${req.headers.range} starts past the end of the ${size} bytes`));
        return () => reply.code(416).headers({ ...headers, 'Content-Range': `bytes */${size}` }).send({ ok: false, error: toWireError(refusal) });
      }
      a.detail.range = range ? `${range.start}-${range.end}` : 'all';
      const { start, end } = range ?? { start: 0, end: size - 1 };
      return () =>
        reply
          .code(range ? 206 : 200)
          .headers(range ? { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` } : headers)
          .type('audio/wav')
          .header('Content-Length', String(end - start + 1))
          .send(createReadStream(path, { start, end }));
    }),
  );

  app.get('/api/recordings/:id/export', (req, reply) =>
    audited(req, reply, 'recordings:export', async (a) => {
      const { recording } = await recordingFor(req, a, ['recording.export'], true);
      const { path, size } = await fileOf(recording);
      const name = `earshot-${recording.callId.replace(/[^A-Za-z0-9_-]/g, '_')}-${recording.id}.wav`;
      return () =>
        reply
          .type('audio/wav')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .header('Content-Length', String(size))
          .headers(STREAMED)
          .send(createReadStream(path));
    }),
  );

  app.delete('/api/recordings/:id', (req, reply) =>
    audited(req, reply, 'recordings:delete', async (a) => {
      const { recording } = await recordingFor(req, a, ['recording.delete'], false);
      if (recording.endedAt === null) throw new ActionError('CONFLICT', `Recording ${recording.id} is still being recorded (call ${recording.callId})`);
      // The file first: if that fails, the row stays and the delete can be tried again. The other order could
      // leave audio behind that nobody can list or delete any more.
      await unlink(join(deps.recordingsDir, basename(recording.file))).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await deps.store.recordings.delete(recording.id);
      a.detail.startedAt = recording.startedAt;
      return () => ({ ok: true, data: { recordingId: recording.id } });
    }),
  );
}

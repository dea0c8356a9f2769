import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { IdSchema, RecordingIdParamsSchema, RecordingsListQuerySchema, type Recording, type RecordingTicketResponse, type RightId } from '@earshot/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/auditLog.js';
import type { AuthService } from '../auth/authService.js';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import type { TokenSigner } from '../media/signedToken.js';
import type { Store, StoredRecording } from '../store/repositories.js';
import { authorize, RequestTrail } from '../pipeline/requestPipeline.js';
import { toWireError } from '../wireError.js';
import { bearer } from './httpReply.js';
import { answerRequest, parseWith, WriteReply, type ActionAnswered } from './httpRoute.js';

export interface RecordingsHttpDeps {
  auth: AuthService;
  store: Store;
  audit: AuditLog;
  recordingsDir: string;
  signer: TokenSigner;
  now: () => number;
  /** Every HTTP request through the pipeline is counted here (the action metrics); absent: not counted. */
  answered?: ActionAnswered;
}

/**
 * The exported file's name, for the person who saves it: the queue, when the recording started (UTC) and its
 * number, e.g. `earshot-Billing-2026-11-30T09-15-02Z-41.wav`; the internal call id is not for people.
 */
export function exportFileName(recording: Pick<StoredRecording, 'queue' | 'startedAt' | 'id'>): string {
  const when = `${new Date(recording.startedAt).toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
  return `earshot-${recording.queue.replace(/[^A-Za-z0-9_-]/g, '_')}-${when}-${recording.id}.wav`;
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

/**
 * Recordings over HTTP (docs/architecture.md "http: recordings download"): list, playback with range requests,
 * export, delete; each gated by its right (Playback Recording, Export Recording, Delete Recording) and the
 * scope over the recorded agent, and each request, done or refused, audited before it is answered.
 */
export async function registerRecordingRoutes(app: FastifyInstance, deps: RecordingsHttpDeps): Promise<void> {
  interface Caller {
    actor: Actor;
    loginId: number;
  }

  /**
   * The caller: the Authorization header; or, where `ticketFor` names a recording (playback, export: what an
   * `<audio>` element or a download link opens), a ticket for that very recording. A ticket, which may be
   * seen in a URL, never deletes or mints another ticket.
   */
  const callerOf = async (req: FastifyRequest, ticketFor?: number): Promise<Caller> => {
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

  /**
   * A request on one recording, through the request pipeline: the id, the caller, the right, then the
   * recording and the scope over its agent; `handle` gets the recording.
   */
  const onRecording = (
    req: FastifyRequest,
    reply: FastifyReply,
    action: string,
    rights: readonly RightId[],
    byTicket: boolean,
    handle: (recording: StoredRecording, caller: Caller, trail: RequestTrail) => Promise<unknown>,
  ) => {
    const trail = new RequestTrail(null);
    let recording: StoredRecording | null = null;
    return answerRequest(deps, req, reply, {
      action,
      trail,
      audit: 'all',
      parse: () => {
        const { id } = parseWith(RecordingIdParamsSchema, req.params);
        trail.target = { type: 'recording', id: String(id) };
        return id;
      },
      authenticate: (id) => callerOf(req, byTicket ? id : undefined),
      authorize: async (id, caller) => {
        authorize(caller!.actor, rights, null);
        recording = await deps.store.recordings.get(id);
        if (!recording) throw new ActionError('NOT_FOUND', `No recording ${id}`);
        trail.note({
          callId: recording.callId,
          agentId: recording.agentId,
          call: { queue: recording.queue, number: recording.remoteNumberMasked, startedAt: recording.startedAt },
        });
        authorize(caller!.actor, rights, recording.agentId);
      },
      handle: (_id, caller) => handle(recording!, caller!, trail),
    });
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

  app.get('/api/recordings', (req, reply) => {
    const trail = new RequestTrail(null);
    return answerRequest(deps, req, reply, {
      action: 'recordings:list',
      trail,
      audit: 'all',
      parse: () => parseWith(RecordingsListQuerySchema, req.query ?? {}),
      authenticate: () => callerOf(req),
      authorize: (query, caller) => {
        trail.note({ query });
        authorize(caller!.actor, LIST_RIGHTS, query.agentId ?? null);
      },
      handle: async (query, caller) => {
        const page = await deps.store.recordings.page({ ...query, agentIds: agentsInScope(caller!.actor), limit: query.limit ?? DEFAULT_PAGE });
        trail.note({ count: page.recordings.length });
        return { recordings: page.recordings.map(toWire), nextBefore: page.nextBefore };
      },
    });
  });

  app.post('/api/recordings/:id/ticket', (req, reply) =>
    onRecording(req, reply, 'recordings:ticket', ['recording.playback', 'recording.export'], false, async (recording, { actor, loginId }) => {
      const expiresAt = deps.now() + RECORDING_TICKET_TTL_MS;
      const ticket = deps.signer.sign({ p: 'recording', r: recording.id, u: actor.id, l: loginId, e: expiresAt });
      const q = `ticket=${encodeURIComponent(ticket)}`;
      const data: RecordingTicketResponse = {
        ticket,
        expiresAt,
        audioUrl: `/api/recordings/${recording.id}/audio?${q}`,
        exportUrl: `/api/recordings/${recording.id}/export?${q}`,
      };
      return data;
    }),
  );

  app.get('/api/recordings/:id/audio', (req, reply) =>
    onRecording(req, reply, 'recordings:play', ['recording.playback'], true, async (recording, _caller, trail) => {
      const { path, size } = await fileOf(recording);
      const range = parseByteRange(req.headers.range, size);
      const headers = { 'Accept-Ranges': 'bytes', ...STREAMED };
      if (range === 'unsatisfiable') {
        const refusal = (trail.refusal = new ActionError('INVALID', `Range: ${req.headers.range} starts past the end of the ${size} bytes`));
        return new WriteReply(() =>
          reply
            .code(416)
            .headers({ ...headers, 'Content-Range': `bytes */${size}` })
            .send({ ok: false, error: toWireError(refusal) }),
        );
      }
      trail.note({ range: range ? `${range.start}-${range.end}` : 'all' });
      const { start, end } = range ?? { start: 0, end: size - 1 };
      return new WriteReply(() =>
        reply
          .code(range ? 206 : 200)
          .headers(range ? { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` } : headers)
          .type('audio/wav')
          .header('Content-Length', String(end - start + 1))
          .send(createReadStream(path, { start, end })),
      );
    }),
  );

  app.get('/api/recordings/:id/export', (req, reply) =>
    onRecording(req, reply, 'recordings:export', ['recording.export'], true, async (recording) => {
      const { path, size } = await fileOf(recording);
      const name = exportFileName(recording);
      return new WriteReply(() =>
        reply
          .type('audio/wav')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .header('Content-Length', String(size))
          .headers(STREAMED)
          .send(createReadStream(path)),
      );
    }),
  );

  app.delete('/api/recordings/:id', (req, reply) =>
    onRecording(req, reply, 'recordings:delete', ['recording.delete'], false, async (recording, _caller, trail) => {
      if (recording.endedAt === null) throw new ActionError('CONFLICT', `Recording ${recording.id} is still being recorded (call ${recording.callId})`);
      // The file first: if that fails, the row stays and the delete can be tried again. The other order could
      // leave audio behind that nobody can list or delete any more.
      await unlink(join(deps.recordingsDir, basename(recording.file))).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await deps.store.recordings.delete(recording.id);
      trail.note({ startedAt: recording.startedAt });
      return { recordingId: recording.id };
    }),
  );
}

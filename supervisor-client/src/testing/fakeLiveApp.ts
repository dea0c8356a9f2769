import {
  serverEvents,
  type Ack,
  type ClientEventName,
  type Me,
  type MeRights,
  type PayloadOf,
  type RecordingTicketResponse,
  type RequestOf,
  type ResponseOf,
  type ServerEventName,
} from '@earshot/shared';
import { AlertSettingsStore } from '../alerts/alertSettingsStore';
import { BoardFeed } from '../board/boardFeed';
import { HelpStore } from '../help/helpStore';
import { QueueFeed } from '../queues/queueFeed';
import type { LiveConnection } from '../live/connection';
import type { LinkStatus, LiveApp } from '../live/liveSession';
import { RightsStore } from '../live/rightsStore';
import { Store } from '../live/store';
import type { RecordingsApi, RecordingsPage } from '../recordings/recordingsApi';
import type { AudioBackend } from '../supervision/audioBackend';
import { SupervisionStore } from '../supervision/supervisionStore';

type Answer = (payload: unknown) => Ack<unknown>;

/**
 * A connection the test scripts: it answers requests as told and pushes server events, each checked
 * against the wire's schema first, so a test cannot feed the app a message the server could not send.
 */
export class FakeConnection implements LiveConnection {
  readonly sent: { event: ClientEventName; payload: unknown }[] = [];
  private readonly answers = new Map<string, Answer>();
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  answer<E extends ClientEventName>(event: E, answer: (payload: RequestOf<E>) => Ack<ResponseOf<E>>): void {
    this.answers.set(event, answer as Answer);
  }

  request<E extends ClientEventName>(event: E, payload: RequestOf<E>): Promise<Ack<ResponseOf<E>>> {
    this.sent.push({ event, payload });
    const answer = this.answers.get(event);
    const ack = answer ? answer(payload) : { ok: false as const, error: { code: 'INTERNAL' as const, message: `no answer scripted for ${event}` } };
    return Promise.resolve(ack as Ack<ResponseOf<E>>);
  }

  on<E extends ServerEventName>(event: E, handler: (payload: PayloadOf<E>) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as (payload: unknown) => void);
    return () => set.delete(handler as (payload: unknown) => void);
  }

  push<E extends ServerEventName>(event: E, payload: PayloadOf<E>): void {
    const parsed = serverEvents[event].parse(payload);
    for (const h of this.handlers.get(event) ?? []) h(parsed);
  }

  sentEvents(): ClientEventName[] {
    return this.sent.map((s) => s.event);
  }
}

class FixedLink extends Store<LinkStatus> {}

type RecordingsCall = { method: 'list'; query: unknown } | { method: 'ticket' | 'remove'; recordingId: number };

/** The recordings API as the test scripts it: each method answers what it is told, and every call is kept. */
export class FakeRecordingsApi implements RecordingsApi {
  readonly calls: RecordingsCall[] = [];
  listAnswer: (query: unknown) => Ack<RecordingsPage> = () => ({ ok: true, data: { recordings: [], nextBefore: null } });
  ticketAnswer: (recordingId: number) => Ack<RecordingTicketResponse> = (id) => ({
    ok: true,
    data: { ticket: `t${id}`, expiresAt: 0, audioUrl: `/api/recordings/${id}/audio?ticket=t${id}`, exportUrl: `/api/recordings/${id}/export?ticket=t${id}` },
  });
  removeAnswer: (recordingId: number) => Ack<{ recordingId: number }> = (recordingId) => ({ ok: true, data: { recordingId } });

  list(query: Parameters<RecordingsApi['list']>[0]) {
    this.calls.push({ method: 'list', query });
    return Promise.resolve(this.listAnswer(query));
  }

  ticket(recordingId: number) {
    this.calls.push({ method: 'ticket', recordingId });
    return Promise.resolve(this.ticketAnswer(recordingId));
  }

  remove(recordingId: number) {
    this.calls.push({ method: 'remove', recordingId });
    return Promise.resolve(this.removeAnswer(recordingId));
  }
}

/** No Web Audio in component tests: opening anything fails, and no socket is ever opened. */
const NO_AUDIO: AudioBackend = {
  devices: () => ({
    openSpeaker: () => Promise.reject(new Error('no audio in component tests')),
    openMicrophone: () => Promise.reject(new Error('no audio in component tests')),
    close: () => undefined,
  }),
  openSocket: () => ({ send: () => false, close: () => undefined }),
};

/** The app's real stores over a scripted connection. */
export function fakeLiveApp(
  rights: MeRights,
  displayName = 'Ava Hill',
  audio: AudioBackend = NO_AUDIO,
): { app: LiveApp; connection: FakeConnection; recordings: FakeRecordingsApi } {
  const connection = new FakeConnection();
  const recordings = new FakeRecordingsApi();
  const me: Me = { id: rights.userId, username: 'someone', displayName, rights };
  const board = new BoardFeed(connection, () => Date.UTC(2026, 10, 22, 9, 0, 0));
  const app: LiveApp = {
    me,
    connection,
    rights: new RightsStore(rights, connection),
    board,
    queues: new QueueFeed(connection, () => Date.UTC(2026, 10, 22, 9, 0, 0)),
    supervision: new SupervisionStore(connection, (id) => board.get().board.entries.get(id)?.displayName ?? null),
    help: new HelpStore(connection),
    alerts: new AlertSettingsStore(connection),
    link: new FixedLink('online'),
    recordings,
    audio,
  };
  return { app, connection, recordings };
}

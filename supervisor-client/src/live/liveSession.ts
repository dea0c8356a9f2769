import type { HandshakeAuth, Me } from '@earshot/shared';
import { io } from 'socket.io-client';
import { AlertSettingsStore } from '../alerts/alertSettingsStore';
import { BoardFeed } from '../board/boardFeed';
import { HelpStore } from '../help/helpStore';
import { QueueFeed } from '../queues/queueFeed';
import { HttpRecordingsApi, type RecordingsApi } from '../recordings/recordingsApi';
import { browserAudioBackend, type AudioBackend } from '../supervision/audioBackend';
import { SupervisionStore } from '../supervision/supervisionStore';
import { SocketConnection, type EarshotSocket, type LiveConnection } from './connection';
import { RightsStore } from './rightsStore';
import { Store } from './store';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting';

class LinkStore extends Store<LinkStatus> {
  update(status: LinkStatus): void {
    this.set(status);
  }
}

/** Everything a signed-in page works with: the connection and the live stores fed by it. */
export interface LiveApp {
  me: Me;
  connection: LiveConnection;
  rights: RightsStore;
  board: BoardFeed;
  queues: QueueFeed;
  supervision: SupervisionStore;
  help: HelpStore;
  /** The user's alert thresholds and signals. */
  alerts: AlertSettingsStore;
  link: Store<LinkStatus>;
  /** Recordings over HTTP, with this login's token. */
  recordings: RecordingsApi;
  /** The sessions' audio: Web Audio and the media socket. */
  audio: AudioBackend;
}

/**
 * One signed-in session: opens the socket with the login token, and brings every store up to date on each
 * (re)connect and on each change of rights. `onLoginEnded` is called when the server no longer accepts the
 * login (logged out elsewhere, password changed, user deleted, token expired).
 */
export class LiveSession implements LiveApp {
  readonly connection: LiveConnection;
  readonly rights: RightsStore;
  readonly board: BoardFeed;
  readonly queues: QueueFeed;
  readonly supervision: SupervisionStore;
  readonly help: HelpStore;
  readonly alerts: AlertSettingsStore;
  readonly link = new LinkStore('connecting');
  readonly recordings: RecordingsApi;
  readonly audio: AudioBackend = browserAudioBackend;
  private readonly socket: EarshotSocket;

  constructor(
    readonly me: Me,
    token: string,
    onLoginEnded: (message: string) => void,
  ) {
    this.socket = io({ auth: { token, client: 'supervisor' } satisfies HandshakeAuth, transports: ['websocket'] });
    this.connection = new SocketConnection(this.socket);
    this.rights = new RightsStore(me.rights, this.connection);
    this.board = new BoardFeed(this.connection);
    this.queues = new QueueFeed(this.connection);
    this.supervision = new SupervisionStore(this.connection, (id) => this.board.get().board.entries.get(id)?.displayName ?? null);
    this.help = new HelpStore(this.connection);
    this.alerts = new AlertSettingsStore(this.connection);
    this.recordings = new HttpRecordingsApi(token);

    this.socket.on('connect', () => {
      this.link.update('online');
      void this.supervision.refresh();
    });
    this.socket.on('disconnect', (reason) => {
      // The server closes the sockets of a revoked login; anything else is the network, and socket.io retries.
      if (reason === 'io server disconnect') onLoginEnded('Your login has ended: log in again');
      else this.link.update('reconnecting');
    });
    this.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'UNAUTHENTICATED') onLoginEnded(err.message);
      else this.link.update('reconnecting');
    });
    // The server pushes `me:rights` on every connect and on every change of rights: either way the board
    // and the help requests are fetched afresh (a change of profile or teams changes who is in scope).
    // Registered after the rights store's own listener, so it reads the new rights.
    this.connection.on('me:rights', () => void this.refreshFloor());
  }

  close(): void {
    this.socket.close();
  }

  /** The board and help requests need View Live Phone State; without it nothing of the floor is shown. */
  private async refreshFloor(): Promise<void> {
    // The alerts are the board's; an administrator without it still sets the defaults.
    if (this.rights.holds('phoneState.view') || this.rights.holds('system.settings')) void this.alerts.refresh();
    else this.alerts.clear();
    if (!this.rights.holds('phoneState.view')) {
      this.board.clear();
      this.queues.clear();
      this.help.clear();
      return;
    }
    await Promise.all([this.board.subscribeBoard(), this.queues.subscribeQueues(), this.help.refresh()]);
  }
}

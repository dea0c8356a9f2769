import {
  ackSchema,
  clientEvents,
  sentencesOfZodError,
  serverEvents,
  type Ack,
  type ClientEventName,
  type ClientToServerEvents,
  type PayloadOf,
  type RequestOf,
  type ResponseOf,
  type ServerEventName,
  type ServerToClientEvents,
  type WireError,
} from '@earshot/shared';
import type { Socket } from 'socket.io-client';
import type { z } from 'zod';

/** The control plane as the app sees it: acked requests and server pushes, all checked against the wire. */
export interface LiveConnection {
  request<E extends ClientEventName>(event: E, payload: RequestOf<E>): Promise<Ack<ResponseOf<E>>>;
  on<E extends ServerEventName>(event: E, handler: (payload: PayloadOf<E>) => void): () => void;
}

export type EarshotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An ack that does not come back in this long is reported as an error instead of hanging a button. */
const ACK_TIMEOUT_MS = 10_000;

/** What zod found, in sentences, the way the server words INVALID: "The password needs at least 8 characters." */
export function describeIssues(error: z.ZodError): string {
  return sentencesOfZodError(error);
}

const failure = (code: WireError['code'], message: string): { ok: false; error: WireError } => ({ ok: false, error: { code, message } });

/**
 * socket.io under the wire's schemas: a request is checked before it is sent (a form learns at once what
 * the server would refuse), every ack and every push is parsed before the app sees it.
 */
export class SocketConnection implements LiveConnection {
  constructor(private readonly socket: EarshotSocket) {}

  request<E extends ClientEventName>(event: E, payload: RequestOf<E>): Promise<Ack<ResponseOf<E>>> {
    const spec = clientEvents[event];
    const checked = spec.request.safeParse(payload);
    if (!checked.success) return Promise.resolve(failure('INVALID', describeIssues(checked.error)));
    const answer = ackSchema(spec.response);
    return new Promise((resolve) => {
      const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit(e: string, p: unknown, cb: (err: Error | null, r: unknown) => void): void;
      };
      timed.emit(event, checked.data, (err, response) => {
        if (err) return resolve(failure('INTERNAL', `The server did not answer ${event}`));
        const parsed = answer.safeParse(response);
        resolve(parsed.success ? (parsed.data as Ack<ResponseOf<E>>) : failure('INTERNAL', `The server's answer to ${event} is malformed`));
      });
    });
  }

  on<E extends ServerEventName>(event: E, handler: (payload: PayloadOf<E>) => void): () => void {
    const schema = serverEvents[event];
    const listener = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as PayloadOf<E>);
      else console.warn(`Dropped a malformed ${event}`, describeIssues(parsed.error));
    };
    const s = this.socket as unknown as { on(e: string, f: (p: unknown) => void): void; off(e: string, f: (p: unknown) => void): void };
    s.on(event, listener);
    return () => s.off(event, listener);
  }
}

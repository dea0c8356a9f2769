import { randomUUID } from 'node:crypto';
import type { Ack } from '@earshot/shared';
import type { Redis } from 'ioredis';
import type { FloorLogger } from '../live/floorPublisher.js';
import { ForwardingMessageSchema, readNodeMessage, type ForwardedAction, type ForwardingMessage } from './nodeMessages.js';

type Message = ForwardingMessage;

export interface RequestForwardingOptions {
  keyPrefix: string;
  nodeId: string;
  /** How long a forwarded action may take at its owner before the caller is answered that it did not answer. */
  timeoutMs: number;
}

/**
 * Requests with a reply between nodes, over one Redis channel per node: a node hands an action to the node
 * that owns its agent and answers its caller with the owner's answer, or with a typed error when the owner
 * is gone or does not answer in time, never a hang. The owner runs the action through its own pipeline
 * (`run`), so its single-threaded registry decides, as for a caller of its own.
 */
export class RequestForwarding {
  private readonly waiting = new Map<string, { resolve: (a: Ack<unknown>) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RequestForwardingOptions,
    /** Runs an action forwarded by node `from`. */
    private readonly run: (action: ForwardedAction, respond: (answer: Ack<unknown>) => void, from: string) => void,
    private readonly log: FloorLogger,
  ) {}

  private channelOf(nodeId: string): string {
    return `${this.options.keyPrefix}node:${nodeId}`;
  }

  async start(): Promise<void> {
    const mine = this.channelOf(this.options.nodeId);
    this.subscriber.on('message', (channel: string, text: string) => channel === mine && this.received(text));
    await this.subscriber.subscribe(mine);
  }

  private received(text: string): void {
    const reading = readNodeMessage(ForwardingMessageSchema, text);
    if (!reading.ok) return this.log.warn(`cluster: a forwarded message was dropped (${reading.reason})`, { nodeId: this.options.nodeId });
    const message = reading.message;
    if (message.t === 'reply') {
      const w = this.waiting.get(message.id);
      if (!w) return;
      this.waiting.delete(message.id);
      clearTimeout(w.timer);
      w.resolve(message.answer);
      return;
    }
    const { id, from } = message;
    this.run(
      message.action,
      (answer) => {
        const reply: Message = { t: 'reply', id, answer };
        this.publisher
          .publish(this.channelOf(from), JSON.stringify(reply))
          .catch((e: unknown) => this.log.error(e, 'cluster: a reply was not sent', { to: from }));
      },
      from,
    );
  }

  /**
   * Runs the action at `nodeId` and answers what it answered; `what` names the action's object for the
   * sentences of the errors ("the call of Agent Billing").
   */
  forward(nodeId: string, action: ForwardedAction, what: string): Promise<Ack<unknown>> {
    const id = randomUUID();
    const { timeoutMs } = this.options;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `Node ${nodeId}, which holds ${what}, did not answer within ${timeoutMs} ms; the action may still have taken effect there, so check before trying again`,
          },
        });
      }, timeoutMs);
      this.waiting.set(id, { resolve, timer });
      const request: Message = { t: 'request', id, from: this.options.nodeId, action };
      this.publisher
        .publish(this.channelOf(nodeId), JSON.stringify(request))
        .then((receivers) => {
          if (receivers > 0) return;
          this.settle(id, {
            ok: false,
            error: { code: 'INTERNAL', message: `Node ${nodeId}, which holds ${what}, is not reachable; nothing was done, try again shortly` },
          });
        })
        .catch(() =>
          this.settle(id, {
            ok: false,
            error: { code: 'INTERNAL', message: `The nodes' shared Redis is not reachable, so ${what} could not be reached; nothing was done` },
          }),
        );
    });
  }

  private settle(id: string, answer: Ack<unknown>): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.resolve(answer);
  }

  /** Answers every request still waiting (the node stops) and stops listening. */
  async close(): Promise<void> {
    for (const id of [...this.waiting.keys()]) {
      this.settle(id, { ok: false, error: { code: 'INTERNAL', message: 'This node is stopping; nothing was done' } });
    }
    await this.subscriber.unsubscribe(this.channelOf(this.options.nodeId)).catch(() => undefined);
  }
}

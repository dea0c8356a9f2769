import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientEvents, serverEvents } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument, protocolDocuments } from '../../server/src/protocol/protocolDocuments.js';

const DIR = join(import.meta.dirname, '../../docs/protocol');

describe('docs/protocol', () => {
  it.each(Object.entries(protocolDocuments()))('%s is what the schemas in shared/ generate (regenerate: npm run docs:protocol)', (file, generated) => {
    expect(readFileSync(join(DIR, file), 'utf8')).toBe(generated);
  });

  it('the AsyncAPI document has every socket.io event: each client event with its request and ack, each push', () => {
    const doc = asyncApiDocument() as { channels: Record<string, { messages: Record<string, unknown> }> };
    expect(Object.keys(doc.channels).sort()).toEqual([...Object.keys(clientEvents), ...Object.keys(serverEvents)].sort());
    for (const event of Object.keys(clientEvents)) expect(Object.keys(doc.channels[event]!.messages)).toEqual(['request', 'ack']);
    for (const event of Object.keys(serverEvents)) expect(Object.keys(doc.channels[event]!.messages)).toEqual(['push']);
  });
});

import { z } from 'zod';

/**
 * The parts of ARI's models and events Earshot reads (Asterisk's rest-api/api-docs: channels.json,
 * bridges.json, events.json). Extra fields pass through untouched; a message missing what we read is
 * rejected at the edge, not half-handled.
 */
export const ariChannelSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  /** Down, Rsrved, OffHook, Dialing, Ring, Ringing, Up, Busy, Dialing Offhook, Pre-ring, Unknown */
  state: z.string(),
  caller: z.looseObject({ name: z.string().optional(), number: z.string().optional() }).optional(),
  connected: z.looseObject({ name: z.string().optional(), number: z.string().optional() }).optional(),
  creationtime: z.string().optional(),
  channelvars: z.record(z.string(), z.string().nullable()).nullable().optional(),
});
export type AriChannel = z.infer<typeof ariChannelSchema>;

export const ariBridgeSchema = z.looseObject({
  id: z.string(),
  bridge_type: z.string().optional(),
  name: z.string().optional(),
  channels: z.array(z.string()),
});
export type AriBridge = z.infer<typeof ariBridgeSchema>;

const base = { application: z.string().optional(), timestamp: z.string().optional() };
const onChannel = { ...base, channel: ariChannelSchema };

/** The events Earshot acts on; every other type is read as `{ type }` and dropped. */
export const ariEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('StasisStart'), ...onChannel, args: z.array(z.string()).default([]) }),
  z.looseObject({ type: z.literal('StasisEnd'), ...onChannel }),
  z.looseObject({ type: z.literal('ChannelStateChange'), ...onChannel }),
  z.looseObject({ type: z.literal('ChannelHold'), ...onChannel }),
  z.looseObject({ type: z.literal('ChannelUnhold'), ...onChannel }),
  z.looseObject({ type: z.literal('ChannelHangupRequest'), ...onChannel }),
  z.looseObject({ type: z.literal('ChannelDestroyed'), ...onChannel, cause: z.number().optional(), cause_txt: z.string().optional() }),
  z.looseObject({ type: z.literal('ChannelEnteredBridge'), ...onChannel, bridge: ariBridgeSchema }),
  z.looseObject({ type: z.literal('ChannelLeftBridge'), ...onChannel, bridge: ariBridgeSchema }),
  z.looseObject({ type: z.literal('BridgeCreated'), ...base, bridge: ariBridgeSchema }),
  z.looseObject({ type: z.literal('BridgeDestroyed'), ...base, bridge: ariBridgeSchema }),
]);
export type AriEvent = z.infer<typeof ariEventSchema>;
export type AriEventType = AriEvent['type'];

const HANDLED = new Set<string>(ariEventSchema.options.map((o) => o.shape.type.value));

/**
 * One event from the WebSocket's text, or null for one Earshot does not act on. The type is read before
 * anything is parsed in full: `ChannelVarset` (BRIDGEPEER alone is a quarter of all events on a busy
 * Asterisk), dialplan and DTMF events are dropped on their type.
 */
export function parseAriEvent(text: string): AriEvent | null {
  const type = /"type"\s*:\s*"([A-Za-z]+)"/.exec(text)?.[1];
  if (!type || !HANDLED.has(type)) return null;
  const parsed = ariEventSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** `PJSIP/1001-0000002a` → `PJSIP/1001`: the endpoint a channel belongs to (ARI's channel names end in a counter). */
export function endpointOfChannelName(name: string): string {
  const dash = name.lastIndexOf('-');
  return dash > name.indexOf('/') ? name.slice(0, dash) : name;
}

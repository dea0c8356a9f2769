import { z } from 'zod';
import { SupervisionModeSchema } from './floor.js';

/** The desktop agent's own call controls that a telephony platform may carry out for it. */
export const AGENT_CONTROLS = ['answer', 'hold', 'unhold', 'hangUp'] as const;
export const AgentControlSchema = z.enum(AGENT_CONTROLS);
export type AgentControl = z.infer<typeof AgentControlSchema>;

/**
 * What the telephony platform behind this server can do (docs/architecture.md "Telephony platforms": "It
 * declares what it can do; the apps offer only that"): the supervision modes it can carry, whether calls
 * can be recorded, and the agent's call controls it carries out.
 */
export const PlatformCapabilitiesSchema = z.object({
  /** `simulator`, `asterisk`, ... */
  name: z.string(),
  modes: z.array(SupervisionModeSchema),
  recording: z.boolean(),
  agentControls: z.array(AgentControlSchema),
});
export type PlatformCapabilities = z.infer<typeof PlatformCapabilitiesSchema>;

import { z } from 'zod';

// The one script carries its own zod. A host page whose Content-Security-Policy forbids eval would get a
// violation report each time zod probes for it while building a schema; parse without it from the start.
// Imported first by the one-script entry, before the wire schemas are evaluated.
z.config({ jitless: true });

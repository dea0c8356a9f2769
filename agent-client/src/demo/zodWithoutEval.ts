import { z } from 'zod';

// The server's Content-Security-Policy forbids eval. zod probes for it when a schema is built (a CSP
// violation report each time) and then parses without it anyway; say so first, before any schema is built.
// Imported first by the entry module, so it runs before the shared schemas are evaluated.
z.config({ jitless: true });

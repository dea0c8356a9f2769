import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The response headers that keep a browser from doing more with Earshot's pages than the apps need:
 * scripts, styles, sockets and media from this origin only (the built apps load nothing else), no
 * sniffing, and framing only by the configured ancestors (desktops that embed the agent page).
 */
export async function registerSecurityHeaders(app: FastifyInstance, frameAncestors: string[]): Promise<void> {
  const onlySelf = frameAncestors.length === 1 && frameAncestors[0] === "'self'";
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        // The apps' icons are data: URLs in their index.html.
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    // X-Frame-Options can name no origin but its own; when others may frame the apps, frame-ancestors alone decides.
    xFrameOptions: onlySelf ? { action: 'sameorigin' } : false,
    // HSTS belongs to whoever terminates TLS: the server itself speaks plain HTTP.
    strictTransportSecurity: false,
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built dashboard (`npm run build:web` writes it). */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const MISSING = `<!doctype html><meta charset="utf-8"><title>onelock</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>onelock</h1><p>The API is running, but the dashboard has not been built yet.</p>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when missing) and reload.</p>
<p>API documentation: <a href="/docs">/docs</a></p></body>`;

/**
 * Serves the dashboard at `/`. The static files are public (the page itself holds no data; every
 * API call it makes carries the user's token). Its wildcard route `/*` is exempt from the role table.
 */
export async function serveWeb(app: FastifyInstance, dist = WEB_DIST) {
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, index: ['index.html'] });
  } else {
    app.get('/', { config: { roles: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(MISSING));
  }
}

import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.ts';
import { problemHandler } from './problem.ts';
import { installAuth, type RouteEntry } from './auth-hooks.ts';
import { installIdempotency } from './idempotency.ts';
import { serveWeb } from './web-static.ts';
import { isInstant } from '../dates.ts';

export type Api = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;
export type RouteModule = (app: Api, ctx: AppContext) => void | Promise<void>;

/** The HTTP adapter: plugins, the error shape, auth and idempotency, then each capability's routes. */
export async function buildHttp(ctx: AppContext, modules: RouteModule[]): Promise<{ app: Api; routeTable: RouteEntry[] }> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ mod: 'http' }) as FastifyBaseLogger,
    // errors Fastify raises before routing (a path that is not valid UTF-8) get the one error shape too
    frameworkErrors: (err, req, reply) => problemHandler(err, req, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  // A body a route declares optional (Type.Optional: the action's reason or comment) may be left
  // out: a POST with none is validated as {} instead of failing with "body: must be object".
  app.addHook('onRoute', (route) => {
    if (!(route.schema?.body as { '~optional'?: boolean } | undefined)?.['~optional']) return;
    const fill = async (req: { body: unknown }) => { if (req.body === undefined || req.body === null) req.body = {}; };
    route.preValidation = [...(route.preValidation ? [route.preValidation].flat() : []), fill] as any;
  });
  app.setErrorHandler(problemHandler);
  app.setNotFoundHandler((req, reply) => problemHandler(Object.assign(new Error(`no route ${req.method} ${req.url}`), { statusCode: 404, code: 'not_found' }), req, reply));
  await app.register(swagger, {
    openapi: {
      info: { title: 'onelock API', version: '0.1.0', description: 'Cross-border one-lock supervision and export inspection. Authenticate with POST /api/v1/auth/login, then send `Authorization: Bearer <token>`; gate controllers send `X-Api-Key`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const routeTable = installAuth(app as unknown as FastifyInstance, ctx);
  installIdempotency(app as unknown as FastifyInstance, ctx);
  for (const m of modules) await m(app, ctx);
  await serveWeb(app as unknown as FastifyInstance);
  return { app, routeTable };
}

/**
 * Two validators: query strings and path parameters arrive as text and are coerced ("5" → 5), a
 * JSON body is taken as sent, so `"lat": null` or `"version": "1"` is refused instead of stored as
 * 0 or 1. `date-time` is RFC 3339 with a zone that names a real instant (src/platform/dates.ts):
 * ajv-formats lets a leap second through, which no Date can hold.
 */
function validatorCompiler() {
  const build = AjvCompiler();
  const onCreate = (ajv: { addFormat(name: string, f: { type: 'string'; validate: (s: string) => boolean }): unknown }) => ajv.addFormat('date-time', { type: 'string', validate: isInstant });
  const base = { removeAdditional: false, useDefaults: true, allErrors: false } as const;
  const body = build({}, { customOptions: { ...base, coerceTypes: false }, onCreate } as any);
  const text = build({}, { customOptions: { ...base, coerceTypes: 'array' }, onCreate } as any);
  return (route: { schema: object; method: string; url: string; httpPart?: string }) => (route.httpPart === 'body' ? body : text)(route as any);
}

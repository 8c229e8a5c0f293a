import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Renders every error as RFC 9457 problem+json with a stable `code`. */
export function problemHandler(err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) {
  let status = 500, code = 'internal_error', message = 'internal error', detail: Record<string, unknown> | undefined;
  if (err instanceof AppError) {
    ({ status, code, message, detail } = err);
  } else if ((err as FastifyError).validation) {
    const v = (err as FastifyError).validation![0];
    const ctx = (err as FastifyError).validationContext ?? 'body';
    const missing = (v.params as { missingProperty?: string })?.missingProperty;
    const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
    const field = [ctx, ...v.instancePath.split('/').filter(Boolean), missing ?? extra].filter(Boolean).join('.');
    status = 400;
    code = 'validation_failed';
    message = `${field}: ${extra ? 'is not a known field' : v.message}`;
    detail = { field, errors: (err as FastifyError).validation };
  } else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    status = 400; code = 'malformed_json'; message = `request body is not valid JSON: ${err.message}`;
  } else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    status = 415; code = 'unsupported_media_type'; message = err.message;
  } else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    status = 413; code = 'body_too_large'; message = err.message;
  } else if ((err as FastifyError).code === 'FST_ERR_BAD_URL') {
    status = 400; code = 'bad_url'; message = 'the request path is not valid percent-encoded UTF-8';
  } else if ((err as FastifyError).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    status = 400; code = 'malformed_json'; message = 'request body is empty but content-type is JSON';
  } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
    status = (err as FastifyError).statusCode!; code = String((err as FastifyError).code ?? 'bad_request').toLowerCase(); message = err.message;
  } else {
    req.log.error({ err }, 'unhandled error');
  }
  reply
    .status(status)
    .type('application/problem+json')
    .send({ type: `https://onelock.dev/problems/${code}`, title: code.replace(/_/g, ' '), status, code, detail: message, instance: req.url, ...(detail ? { errors: detail } : {}) });
}

export const ProblemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
} as const;

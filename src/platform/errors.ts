/**
 * One error shape for the whole platform: RFC 9457 problem+json with a stable `code`.
 * Domain code throws AppError; the HTTP adapter renders it, the CLI prints {error:{code,message}}.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, detail?: Record<string, unknown>) =>
  new AppError(400, code, message, detail);
export const notFound = (what: string, id: string | number) =>
  new AppError(404, 'not_found', `${what} ${id} not found`, { what, id });
export const conflict = (code: string, message: string, detail?: Record<string, unknown>) =>
  new AppError(409, code, message, detail);
export const forbidden = (message = 'not allowed for this role') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'authentication required') => new AppError(401, 'unauthorized', message);

/** A field-level validation failure: 400 naming the field. */
export const invalidField = (field: string, message: string, code = 'invalid_field') =>
  new AppError(400, code, `${field}: ${message}`, { field });

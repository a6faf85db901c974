/**
 * One error type for the whole API. Services throw these; the error middleware turns them (and
 * zod, mongoose and body-parser errors) into `{error:{code,message,details}}` with the status.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request does not match its schema. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, code = 'VALIDATION_FAILED') {
    super(400, code, message, details);
  }
}

/** 401: no valid credentials. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(401, code, message);
  }
}

/** 403: authenticated, but the role or store scope does not allow this. */
export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', code = 'FORBIDDEN', details?: Record<string, unknown>) {
    super(403, code, message, details);
  }
}

/** 404: the thing does not exist (or is not visible to the caller). */
export class NotFoundError extends AppError {
  constructor(what: string, code = 'NOT_FOUND', details?: Record<string, unknown>) {
    super(404, code, `${what} not found`, details);
  }
}

/** 409: the state of the thing does not allow this now (compare-and-set lost, duplicate, replay). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}

/** 422: a business rule refuses an otherwise well-formed request. */
export class BusinessRuleError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(422, code, message, details);
  }
}

/** 429: too many attempts. */
export class RateLimitedError extends AppError {
  constructor(message = 'Too many attempts, try again later', details?: Record<string, unknown>) {
    super(429, 'RATE_LIMITED', message, details);
  }
}

/** Mongo duplicate key error (E11000), as the driver reports it. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

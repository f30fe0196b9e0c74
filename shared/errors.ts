/** Typed errors with stable codes; the coordinator maps them to `{"error":{"code","message"}}` responses. */
export class AppError extends Error {
  /** Stable machine-readable code, e.g. `VALIDATION_FAILED`. */
  readonly code: string;
  /** HTTP status the error maps to at the API boundary. */
  readonly status: number;
  /** Optional structured details safe to show to the caller. */
  readonly details?: unknown;

  constructor(code: string, message: string, status = 500, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Input failed validation (400). */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) { super('VALIDATION_FAILED', message, 400, details); }
}

/** Request body is not acceptable JSON (400). */
export class MalformedBodyError extends AppError {
  constructor(message: string) { super('MALFORMED_BODY', message, 400); }
}

/** Request body exceeds the route's limit (413). */
export class PayloadTooLargeError extends AppError {
  constructor(limit: number) { super('PAYLOAD_TOO_LARGE', `request body exceeds ${limit} bytes`, 413); }
}

/** Caller is not authenticated (401). */
export class UnauthenticatedError extends AppError {
  constructor(message = 'authentication required') { super('UNAUTHENTICATED', message, 401); }
}

/** Caller is authenticated but not allowed (403). */
export class ForbiddenError extends AppError {
  constructor(message = 'not allowed') { super('FORBIDDEN', message, 403); }
}

/** Resource does not exist (404). */
export class NotFoundError extends AppError {
  constructor(what: string) { super('NOT_FOUND', `${what} not found`, 404); }
}

/** Request conflicts with current state (409). */
export class ConflictError extends AppError {
  constructor(message: string) { super('CONFLICT', message, 409); }
}

/** Enrollment or join token is unknown, used up or expired (403). */
export class InvalidTokenError extends AppError {
  constructor(message = 'token is invalid, used up or expired') { super('INVALID_TOKEN', message, 403); }
}

/** Too many requests; `retryAfterSeconds` goes into the `Retry-After` header (429 or 503). */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, status = 429) {
    super('RATE_LIMITED', message, status);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A remote call failed: network error, timeout or an error answer (client side). */
export class RemoteError extends AppError {
  /** True when retrying later may succeed (network errors, 5xx, 429). */
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  constructor(code: string, message: string, status: number, retryable: boolean, retryAfterSeconds?: number) {
    super(code, message, status);
    this.retryable = retryable;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Configuration is invalid; lists every problem at once. */
export class ConfigError extends AppError {
  constructor(problems: string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, 500, problems);
  }
}

/** Local state (state dir, data dir) is missing or unusable. */
export class StateError extends AppError {
  constructor(code: string, message: string) { super(code, message, 500); }
}

/** Stages that can fail; each has its own error class so callers branch on `code`, never on message text. */
export type ErrorCode =
  | "E_INPUT"
  | "E_FETCH"
  | "E_EXTRACT"
  | "E_CONFIG"
  | "E_STORE"
  | "E_LOCKED"
  | "E_NOTIFY";

export interface ErrorOptions {
  cause?: unknown;
  /** Source id or file/URL the error is about, when there is one. */
  source?: string;
}

export class ClausewatchError extends Error {
  override name = "ClausewatchError";
  readonly code: ErrorCode;
  readonly source: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source;
  }
}

/** Bad user input on the command line (missing file, unknown format). */
export class InputError extends ClausewatchError {
  override name = "InputError";
  constructor(message: string, options?: ErrorOptions) {
    super("E_INPUT", message, options);
  }
}

/** Whether a failed fetch is worth retrying: network errors, 429 and 5xx are transient. */
export type FetchFailureKind = "transient" | "permanent";

export class FetchError extends ClausewatchError {
  override name = "FetchError";
  readonly kind: FetchFailureKind;
  readonly status: number | undefined;
  /** Seconds the server asked us to wait (Retry-After), when it said so. */
  readonly retryAfter: number | undefined;
  /** Not retried now: the source should not be asked again for this many seconds. */
  readonly deferSeconds: number | undefined;

  constructor(
    message: string,
    options: ErrorOptions & {
      kind: FetchFailureKind;
      status?: number;
      retryAfter?: number;
      deferSeconds?: number;
    },
  ) {
    super("E_FETCH", message, options);
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    this.deferSeconds = options.deferSeconds;
  }
}

export class ExtractError extends ClausewatchError {
  override name = "ExtractError";
  constructor(message: string, options?: ErrorOptions) {
    super("E_EXTRACT", message, options);
  }
}

export class ConfigError extends ClausewatchError {
  override name = "ConfigError";
  /** Every problem found, each as `path: message`. */
  readonly problems: string[];
  constructor(message: string, problems: string[], options?: ErrorOptions) {
    super("E_CONFIG", message, options);
    this.problems = problems;
  }
}

export class StoreError extends ClausewatchError {
  override name = "StoreError";
  constructor(message: string, options?: ErrorOptions) {
    super("E_STORE", message, options);
  }
}

/** Another live process holds the store lock. */
export class LockedError extends ClausewatchError {
  override name = "LockedError";
  constructor(message: string, options?: ErrorOptions) {
    super("E_LOCKED", message, options);
  }
}

export class NotifyError extends ClausewatchError {
  override name = "NotifyError";
  /** Seconds the receiver asked us to wait (Retry-After), when it said so. */
  readonly retryAfter: number | undefined;
  /** Retrying cannot help (bad configuration, a payload the receiver will never accept). */
  readonly permanent: boolean;
  constructor(message: string, options: ErrorOptions & { retryAfter?: number; permanent?: boolean } = {}) {
    super("E_NOTIFY", message, options);
    this.retryAfter = options.retryAfter;
    this.permanent = options.permanent ?? false;
  }
}

/** A short, single-line excerpt of untrusted input for error messages. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

import type { ApigeeFlavour, ApigeeState } from './state.ts';

/**
 * Edge error codes (`code` of an Edge body; `violations[0].type` of an X body for product errors).
 * [C] = quoted in reference §5/§11; the others are the emulator's own choice, the real strings
 * being unconfirmed (reference §12).
 */
export const CODES = {
  productMissing: 'keymanagement.service.apiproduct_doesnot_exist', // [C] §5, §3
  nameInvalid: 'keymanagement.service.apiproduct_name_invalid', // [C] §5
  displayNameInvalid: 'keymanagement.service.apiproduct_invalid_displayname', // [C] §5
  productExists: 'keymanagement.service.apiproduct_already_exists',
  productInvalid: 'keymanagement.service.apiproduct_invalid',
  attributeMissing: 'keymanagement.service.apiproduct_attribute_doesnot_exist',
  unauthorized: 'security.unauthorized',
  forbidden: 'security.access_denied',
  routeMissing: 'messaging.adaptors.http.resource_not_found',
  methodNotAllowed: 'messaging.adaptors.http.method_not_allowed',
  malformedBody: 'messaging.adaptors.http.malformed_request',
  unsupportedMediaType: 'messaging.adaptors.http.unsupported_media_type',
  internal: 'messaging.runtime.internal_error',
  // The emulator's own choices for injected faults (src/sandbox/faults.ts).
  rateLimited: 'messaging.runtime.rate_limit_exceeded',
  unavailable: 'messaging.runtime.service_unavailable',
} as const;

/** A refusal; the server renders it in the flavour's error body (errorBody). */
export class ApigeeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApigeeHttpError';
  }
}

export const invalid = (message: string, code: string = CODES.productInvalid): ApigeeHttpError =>
  new ApigeeHttpError(400, code, message);

export function productMissing(name: string, org: string): ApigeeHttpError {
  // Message text [I] reference §11.
  return new ApigeeHttpError(404, CODES.productMissing, `API Product [${name}] does not exist for tenant [${org}]`);
}

/** google.rpc.Code names for the statuses the emulator answers (reference §5, standard mapping). */
const GOOGLE_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  // No google.rpc.Code means "method not allowed"; UNIMPLEMENTED is the closest.
  405: 'UNIMPLEMENTED',
  409: 'ALREADY_EXISTS',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * Edge `{code, message, contexts}`; X the Google envelope `{error: {code, message, status}}`,
 * plus, for product (KMS) errors, the Edge code in `details[0].violations[0].type`, where the PHP
 * client reads it ("Hybrid returns the Edge error code here", reference §5).
 */
export function errorBody(flavour: ApigeeFlavour, error: ApigeeHttpError): unknown {
  if (flavour === 'edge') return { code: error.code, message: error.message, contexts: [] };
  const details = error.code.startsWith('keymanagement.')
    ? [
        {
          '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
          violations: [{ type: error.code, description: error.message }],
        },
      ]
    : undefined;
  return {
    error: { code: error.status, message: error.message, status: GOOGLE_STATUS[error.status] ?? 'UNKNOWN', ...(details && { details }) },
  };
}

/** What a route handler is given. */
export interface ApigeeCall {
  flavour: ApigeeFlavour;
  org: string;
  state: ApigeeState;
  query: URLSearchParams;
  /** Path parameters in route order, already URI-decoded. */
  params: string[];
  /** The raw request body, parsed only by handlers that take one. */
  body: string;
  /** Unix milliseconds, for createdAt / lastModifiedAt. */
  now: number;
  /** Who is calling, for createdBy / lastModifiedBy (Edge). */
  actor: string;
  /** ApigeeEmulatorOptions.dropAttributes. */
  dropAttributes?: boolean;
  /** ApigeeEmulatorOptions.ignoreAttributeFilter. */
  ignoreAttributeFilter?: boolean;
}

/** A body already serialized to UTF-8 JSON (list-view.ts): sent as it is, not passed through JSON.stringify. */
export class SerializedJson {
  constructor(readonly bytes: Buffer) {}
}

/** A successful answer; `mutated` makes the server report the new state (`onMutation`). */
export interface ApigeeReply {
  /** 200 unless said otherwise. */
  status?: number;
  /** A JSON value, or its bytes as a SerializedJson. */
  body: unknown;
  mutated?: boolean;
}

/** The request body as a JSON object, or a 400 in the flavour's words. */
export function parseJsonObject(call: ApigeeCall): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body);
  } catch (error) {
    const reason = (error as Error).message;
    throw invalid(call.flavour === 'x' ? `Invalid JSON payload received. ${reason}` : `Malformed JSON body: ${reason}`, CODES.malformedBody);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(
      call.flavour === 'x' ? 'Invalid JSON payload received. Expected an object.' : 'Malformed JSON body: expected an object',
      CODES.malformedBody,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Code-unit order: the emulator lists by name (reference §3: real order undocumented). */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

import { BaseAPI, Configuration, FetchError, RequestOpts, ResponseError } from './generated';

/** The longest stretch of a body that is not the server's JSON error (a proxy's page) a refusal's message quotes. */
const QUOTED = 200;

/**
 * What a refusal says: the catalogue's code and error from the server's JSON error
 * (`{"error": "Invalid password", "code": "invalid_password"}` gives `401 invalid_password: Invalid password`),
 * or, for any other body (a proxy's page), the status and the body's first line.
 * @param status the answer's status
 * @param statusText the answer's reason phrase
 * @param body the answer's body as text
 */
export function refusalMessage(status: number, statusText: string, body: string): string {
  try {
    const { error, code } = JSON.parse(body) ?? {};
    if (typeof error === 'string') {
      return typeof code === 'string' ? `${status} ${code}: ${error}` : `${status}: ${error}`;
    }
  } catch {
    // not JSON: said below
  }
  const head = `${status}${statusText ? ` ${statusText}` : ''}`;
  const line = body.trim().split(/\r?\n/, 1)[0].slice(0, QUOTED);
  return line ? `${head}: ${line}` : head;
}

/**
 * The refusal an answer stands for, its message saying why ({@link refusalMessage}); its response is
 * left unread, so `await error.response.json()` still gives the server's JSON error.
 * @param response an answer outside 2xx
 */
export async function refusal(response: Response): Promise<ResponseError> {
  let body = '';
  try {
    body = await response.clone().text();
  } catch {
    // unreadable (aborted): the status alone
  }
  return new ResponseError(response, refusalMessage(response.status, response.statusText, body));
}

/**
 * A call that got no answer, its message saying which and why: `POST http://localhost:8765/messages
 * failed: connect ECONNREFUSED 127.0.0.1:8765`, the innermost cause the network gave.
 * @param error what the generated call threw
 * @param method the call's method
 * @param url the call's URL, without its query
 */
function unanswered(error: FetchError, method: string, url: string): FetchError {
  return new FetchError(error.cause, `${method} ${url} failed: ${innermost(error.cause)}`);
}

/**
 * What the innermost cause of a network failure says (`connect ECONNREFUSED 127.0.0.1:8765` under
 * fetch's "fetch failed"); of several attempts (each address of a name), the first's.
 * @param error the failure
 */
function innermost(error: Error): string {
  let why = error;
  while (why.cause instanceof Error) {
    why = why.cause;
  }
  if (why.message) {
    return why.message;
  }
  const first = why instanceof AggregateError ? why.errors.find((each) => each instanceof Error) : undefined;
  return first ? innermost(first) : (why as { code?: string }).code ?? why.name;
}

/** The generated APIs' one way to a response, which throws a ResponseError with a fixed message on any status outside 2xx, and a FetchError with a fixed message on no answer. */
type Request = (this: BaseAPI, context: RequestOpts, ...rest: unknown[]) => Promise<Response>;

const api = BaseAPI.prototype as unknown as { request: Request };
const generated = api.request;

/**
 * Every generated call (and so every refusal a caller of this package sees) throws the ResponseError
 * whose message is the server's, and on no answer the FetchError that says which call and why: the
 * generator's say only "Response returned an error code" and "The request failed and the interceptors
 * did not return an alternative response".
 */
api.request = async function request(this: BaseAPI, context: RequestOpts, ...rest: unknown[]): Promise<Response> {
  try {
    return await generated.call(this, context, ...rest);
  } catch (error) {
    if (error instanceof ResponseError) {
      throw await refusal(error.response);
    }
    if (error instanceof FetchError) {
      const { basePath } = (this as unknown as { configuration: Configuration }).configuration;
      throw unanswered(error, context.method, `${basePath}${context.path}`);
    }
    throw error;
  }
};

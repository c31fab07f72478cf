import { BaseAPI, ResponseError } from './generated';

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

/** The generated APIs' one way to a response, which throws a ResponseError with a fixed message on any status outside 2xx. */
type Request = (this: BaseAPI, ...args: unknown[]) => Promise<Response>;

const api = BaseAPI.prototype as unknown as { request: Request };
const generated = api.request;

/**
 * Every generated call (and so every refusal a caller of this package sees) throws the ResponseError
 * whose message is the server's: the generator's says only "Response returned an error code".
 */
api.request = async function request(this: BaseAPI, ...args: unknown[]): Promise<Response> {
  try {
    return await generated.apply(this, args);
  } catch (error) {
    throw error instanceof ResponseError ? await refusal(error.response) : error;
  }
};

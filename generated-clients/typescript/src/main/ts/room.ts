import { Configuration, FetchAPI, Message, MessageFromJSON, MessagesApi, ResponseError } from './generated';
import { refusal, refusalMessage } from './failures';

/** The header of the `roomPassword` security scheme. */
export const PASSWORD_HEADER = 'X-Room-Password';

/**
 * The password as `X-Room-Password` carries it. Node's fetch cannot send a header beyond Latin-1 and
 * writes Latin-1 as single bytes, so a password that is not printable ASCII (or that looks encoded
 * already) goes as RFC 8187 writes it, `UTF-8''` and its UTF-8 bytes percent-encoded, which the
 * server reads back.
 * @param password the room password
 */
export function passwordHeader(password: string): string {
  if (/^[\x20-\x7e]*$/.test(password) && !/^utf-8''/i.test(password)) {
    return password;
  }
  let encoded = "UTF-8''";
  for (const byte of new TextEncoder().encode(password)) {
    const c = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * Settings for the generated APIs that point them at a room and send its password as the
 * `X-Room-Password` header on every request (never in the URL), encoded by {@link passwordHeader}.
 * @param baseUrl the room's base URL, e.g. `http://localhost:8765`
 * @param password the room password
 * @param fetchApi a fetch implementation; Node 20's global fetch by default
 */
export function roomConfiguration(baseUrl: string, password: string, fetchApi?: FetchAPI): Configuration {
  return new Configuration({
    basePath: baseUrl.replace(/\/+$/, ''),
    headers: { [PASSWORD_HEADER]: passwordHeader(password) },
    fetchApi,
  });
}

/**
 * Settings for the generated APIs that point them at a room and send `bearer` as
 * `Authorization: Bearer`: a name's token (`AgentsApi.claimName`), which posts and follows as that
 * name's holder with no password, or the host key (at the server's URL: `RoomsApi`, which lists and
 * ends rooms; at a room's: `RoomApi.endRoom`, the agents' kick and mute).
 * @param baseUrl the room's base URL, e.g. `http://localhost:8765`
 * @param bearer a name's token or the host key
 * @param fetchApi a fetch implementation; Node 20's global fetch by default
 */
export function bearerConfiguration(baseUrl: string, bearer: string, fetchApi?: FetchAPI): Configuration {
  return new Configuration({ basePath: baseUrl.replace(/\/+$/, ''), accessToken: bearer, fetchApi });
}

/** How messages currently arrive: Server-Sent Events, or long-poll when the stream is unavailable. */
export type Transport = 'stream' | 'long-poll';

/** Options of {@link followRoom}. */
export interface FollowOptions {
  /** Called once per message, in id order, never twice for the same id. */
  onMessage: (message: Message) => void;
  /** Called once if the room refuses the password (401), lets the name go (403 `kicked`) or is gone (404 `room_not_found`); following then stops. A stream's `end` event saying so stops it the same way, with no 'reconnecting' first. */
  onError?: (error: ResponseError) => void;
  /**
   * Replay retained messages with an id above this first (0: the whole history). Default: live only,
   * from the room's newest message when following starts. Given the message itself (the last one the
   * caller saw), its timestamp tells a server restarted behind the same address, whose new room has as
   * many messages already, from the same room: checked before the first connection and after every loss.
   */
  after?: number | Message;
  /** Listen as this agent (shows as online in listAgents). */
  agent?: string;
  /** Only messages that mention this name or are addressed to it. */
  for?: string;
  /** First reconnect delay in ms (doubles up to maxBackoffMs). Default 250. */
  minBackoffMs?: number;
  /** Longest reconnect delay in ms. Default 15000. */
  maxBackoffMs?: number;
  /** Seconds one long-poll waits when falling back (at most 60). Default 25. */
  pollWaitSeconds?: number;
  /** How long the stream may take to send its first line before it counts as unavailable, in ms. Default 10000. */
  openTimeoutMs?: number;
  /** How long an open stream may send nothing (keepalives come every 15 s) before it counts as lost, in ms. Default 45000. */
  silenceMs?: number;
  /** While long-polling, how often to try the stream again, in ms. Default 30000. */
  streamRetryMs?: number;
  /**
   * The caller has reached the room already (read its history, claimed a name): a loss before the
   * stream's first connection (the server stopped meanwhile) is reported like any later one, not taken
   * for a follower still starting. It does not change what stops following. Default false.
   */
  reachedBefore?: boolean;
  /** Called when the connection is lost ('reconnecting', once per outage; before the first connection only for a busy or full server, 429/503, or with `reachedBefore`) and when it works again ('connected'). */
  onState?: (state: 'connected' | 'reconnecting', transport: Transport) => void;
  /** Called when the server was restarted behind the same address: following its new room from the beginning. */
  onRestart?: () => void;
  /** Called when messages after `requested` were dropped from the room's history before they could be replayed; following goes on from `oldest`, the oldest message the room still has. */
  onTruncated?: (requested: number, oldest: number) => void;
}

/** Stream answers that are a loss to retry (busy, restarting), not a sign that the stream is unavailable. */
const RETRY_LATER = new Set([429, 503]);

/**
 * Whether an answer ends following, since no retry mends it: a refused password (401/403), or a room
 * that is gone (404 with the code `room_not_found`; a 404 without it is a path the way to the server
 * does not know). Reads a copy of the body, so the response stays readable.
 * @param response the answer
 */
async function stopsFollowing(response: Response): Promise<boolean> {
  if (response.status !== 404) {
    return response.status === 401 || response.status === 403;
  }
  try {
    return (await response.clone().json())?.code === 'room_not_found';
  } catch {
    return false; // not the server's JSON: a proxy's page
  }
}

/**
 * The error with its body read whole (a refusal is short JSON saying why: `invalid_password`, `kicked`,
 * `token_revoked`…), so `onError` can read it after the follower has stopped and aborted its requests.
 */
async function readable(error: ResponseError): Promise<ResponseError> {
  try {
    const body = await error.response.clone().arrayBuffer();
    const copy = new Response(body, { status: error.response.status, statusText: error.response.statusText,
      headers: error.response.headers });
    return new ResponseError(copy, error.message);
  } catch {
    return error; // unreadable already: as it came
  }
}

/** The status a request gets for each reason an `end` event gives (`events=end`): the stream has ended for good. */
const ENDED_WITH = new Map<unknown, ResponseInit>([
  ['room_not_found', { status: 404, statusText: 'Not Found' }],
  ['kicked', { status: 403, statusText: 'Forbidden' }],
]);

/**
 * The refusal an `end` event stands for, as the next request would get it (its data is that
 * request's body), or undefined for a reason this follower does not know: then it is a loss.
 * @param data the event's data
 */
function endedFor(data: string): ResponseError | undefined {
  let code: unknown;
  try {
    code = JSON.parse(data)?.code;
  } catch {
    return undefined;
  }
  const status = ENDED_WITH.get(code);
  if (!status) {
    return undefined;
  }
  const response = new Response(data, { ...status, headers: { 'Content-Type': 'application/json' } });
  return new ResponseError(response, refusalMessage(response.status, response.statusText, data));
}

/** Why a stream connection was given up on by this follower, not by the network. */
class StreamGivenUp extends Error {}

/**
 * Follows a room as docs/following.md describes: Server-Sent Events from `/messages/stream`, resumed
 * with `Last-Event-ID` after every loss (exponential backoff); a stream silent past `silenceMs` is a
 * loss too. When the stream is not available on the way to the server (an answer that is not an event
 * stream, or no first line within `openTimeoutMs`) it long-polls `pollMessages` with `wait` and tries
 * the stream again every `streamRetryMs`. Before resuming after a loss (and before the first connection,
 * when it starts from a message it was given) it checks the message at its cursor, so a server restarted
 * behind the same address is followed from its new beginning. A stream
 * that ends for good says why (`events=end`): the follower then stops as that refusal would stop it.
 * Call {@link RoomFollower.close} to stop.
 */
export class RoomFollower {
  /** The id of the last message delivered; when none was yet, where following started (-1 until a live start has asked the room for its newest message). */
  lastId: number;
  /** How messages currently arrive. */
  transport: Transport = 'stream';
  /** Resolves when following stops (close(), a refused password or a room that is gone). */
  readonly done: Promise<void>;

  private readonly abort = new AbortController();
  private readonly messages: MessagesApi;
  private lastTimestamp?: Date;
  private connectedOnce = false;
  private outage = false;
  private checkCursor = false;
  private nextStreamTry = 0;

  /**
   * Starts following at once; prefer {@link followRoom}.
   * @param config settings from {@link roomConfiguration}
   * @param options what to do with messages and errors, and where to start
   */
  constructor(private readonly config: Configuration, private readonly options: FollowOptions) {
    const after = options.after;
    this.lastId = (typeof after === 'object' ? after.id : after) ?? -1;
    this.lastTimestamp = typeof after === 'object' ? after.timestamp : undefined;
    // given the message itself, a server restarted since the caller read it is told before the first connection
    this.checkCursor = this.lastTimestamp !== undefined;
    this.messages = new MessagesApi(config);
    this.done = this.run();
  }

  /** Stops following and closes the open connection. */
  close(): void {
    this.abort.abort();
  }

  /** @returns whether close() was called */
  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** The reconnect loop. */
  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 15000;
    let backoff = min;
    while (!this.closed) {
      try {
        if (this.lastId < 0) {
          await this.startLive();
        }
        if (this.checkCursor) {
          this.checkCursor = false;
          await this.checkForRestart();
        }
        if (this.transport === 'stream') {
          if (await this.follow()) {
            backoff = min;
          }
          if (this.transport === 'stream' && !this.closed) {
            await this.pause(backoff); // the connection ended: reconnect, resuming
            backoff = Math.min(backoff * 2, max);
          }
        } else {
          await this.poll();
          backoff = min;
        }
      } catch (error) {
        if (this.closed) {
          return;
        }
        if (error instanceof ResponseError && await stopsFollowing(error.response)) {
          this.options.onError?.(await readable(error));
          this.abort.abort();
          return;
        }
        this.lost(error instanceof ResponseError);
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  /**
   * One SSE connection, until the server or the network ends it or it stays silent too long.
   * @returns whether the stream opened
   */
  private async follow(): Promise<boolean> {
    const headers: Record<string, string> = { ...(this.config.headers ?? {}), Accept: 'text/event-stream' };
    if (this.config.apiKey && !(PASSWORD_HEADER in headers)) {
      headers[PASSWORD_HEADER] = await this.config.apiKey(PASSWORD_HEADER);
    }
    // a name's token (or the host key) as the generated calls send it: only a name's token makes a held
    // name present and moves its read receipt
    const token = this.config.accessToken && !('Authorization' in headers) ? await this.config.accessToken('bearer', []) : '';
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    headers['Last-Event-ID'] = String(this.lastId);
    const fetchApi = this.config.fetchApi ?? fetch;
    const connection = new AbortController();
    const stop = (): void => connection.abort();
    this.abort.signal.addEventListener('abort', stop);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let silent = false;
    const watch = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        silent = true;
        connection.abort(new StreamGivenUp());
      }, ms);
    };
    try {
      watch(this.options.openTimeoutMs ?? 10000);
      let response: Response;
      try {
        response = await fetchApi(this.streamUrl(), { headers, signal: connection.signal });
      } catch (error) {
        if (silent && !this.closed) {
          this.unavailable();
          return false;
        }
        throw error;
      }
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 401 || response.status === 403) {
        throw await refusal(response); // why, in its body: see readable()
      }
      if (RETRY_LATER.has(response.status)) {
        await response.body?.cancel();
        throw new ResponseError(response, `stream answered ${response.status}`);
      }
      if (await stopsFollowing(response)) { // the room is gone (its body, read through a copy, stays readable)
        throw await refusal(response);
      }
      if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel();
        this.unavailable();
        return false;
      }
      let opened = false;
      try {
        for await (const item of sseEvents(response.body)) {
          if (!opened) {
            opened = true;
            this.connected();
          }
          watch(this.options.silenceMs ?? 45000);
          if (item !== null && item.type === 'message') {
            this.deliver(MessageFromJSON(JSON.parse(item.data)));
          }
          if (item !== null && item.type === 'truncated') {
            const { requested, oldest } = JSON.parse(item.data);
            this.options.onTruncated?.(requested, oldest);
          }
          if (item !== null && item.type === 'end') {
            const refusal = endedFor(item.data);
            if (refusal) {
              throw refusal; // the stream said why it ended for good: stop, with no loss reported
            }
            break; // a reason not known here: the stream ends, a loss
          }
        }
      } catch (error) {
        if (!silent || this.closed) {
          throw error;
        }
      }
      if (!opened && silent && !this.closed) {
        this.unavailable();
        return false;
      }
      if (!this.closed) {
        this.lost(false);
      }
      return opened;
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', stop);
    }
  }

  /** The stream is not available on this path: long-poll, and try it again later. */
  private unavailable(): void {
    this.transport = 'long-poll';
    this.nextStreamTry = Date.now() + (this.options.streamRetryMs ?? 30000);
  }

  /**
   * Started live: following starts after the room's newest message, as a resume point. Without one, a
   * first connection lost before any message would reconnect live again and miss what was posted in
   * between.
   */
  private async startLive(): Promise<void> {
    const [newest] = (await this.messages.listMessages({ limit: 1 }, { signal: this.abort.signal })).messages;
    this.lastId = newest ? newest.id : 0;
    this.lastTimestamp = newest?.timestamp;
  }

  /**
   * Before resuming after a loss, or before the first connection from a message given as the cursor: is
   * the message at the cursor still the one seen? A server restarted behind the same address has another
   * one under that id, or fewer messages.
   */
  private async checkForRestart(): Promise<void> {
    const cursor = this.lastId;
    if (cursor <= 0) {
      return;
    }
    let around: Message[];
    try {
      around = (await this.messages.listMessages({ after: cursor - 1, limit: 1 }, { signal: this.abort.signal })).messages;
    } catch (error) {
      if (error instanceof ResponseError && await stopsFollowing(error.response)) {
        throw error;
      }
      this.checkCursor = true; // still unreachable: check again before the next attempt
      return;
    }
    const seen = this.lastTimestamp;
    const replaced = around.length > 0 && around[0].id === cursor && seen !== undefined
      && around[0].timestamp.getTime() !== seen.getTime();
    if (around.length === 0 || replaced) {
      this.restart();
    }
  }

  /** Follows the new room from its beginning. */
  private restart(): void {
    this.lastId = 0;
    this.lastTimestamp = undefined;
    this.options.onRestart?.();
  }

  /** A connection works (again). */
  private connected(): void {
    this.connectedOnce = true;
    if (this.outage) {
      this.outage = false;
      this.options.onState?.('connected', this.transport);
    }
  }

  /**
   * The connection was lost: report it once per outage, and check the cursor before resuming. Before
   * the first connection only when the server answered (busy or full, 429/503) or the caller had
   * reached it (`reachedBefore`): a follower that never connected is otherwise still starting.
   * @param answered whether the server answered (an error status), not the network failing
   */
  private lost(answered: boolean): void {
    this.checkCursor = true;
    if ((this.connectedOnce || this.options.reachedBefore || answered) && !this.outage) {
      this.outage = true;
      this.options.onState?.('reconnecting', this.transport);
    }
  }

  /** One long-poll round trip, or a retry of the stream when it is due. */
  private async poll(): Promise<void> {
    if (Date.now() >= this.nextStreamTry) {
      this.transport = 'stream';
      try {
        if (await this.follow()) {
          return;
        }
      } catch (error) {
        if (error instanceof ResponseError && await stopsFollowing(error.response)) {
          throw error;
        }
      }
      if (this.closed) {
        return;
      }
      this.unavailable();
    }
    const init = { signal: this.abort.signal };
    const filter = { agent: this.options.agent, _for: this.options.for };
    const untilRetry = Math.max(0.1, (this.nextStreamTry - Date.now()) / 1000);
    const wait = Math.min(this.options.pollWaitSeconds ?? 25, untilRetry);
    const result = await this.messages.pollMessages({ after: this.lastId, wait, ...filter }, init);
    this.connected();
    if (result.next < this.lastId) {
      this.restart(); // the room has fewer messages than we saw: it answered with everything it has
    }
    result.messages.forEach((message) => this.deliver(message));
  }

  /**
   * Hands a message over unless it was delivered already.
   * @param message the message received
   */
  private deliver(message: Message): void {
    if (message.id <= this.lastId || this.closed) {
      return;
    }
    this.lastId = message.id;
    this.lastTimestamp = message.timestamp;
    this.options.onMessage(message);
  }

  /** @returns the stream URL with the agent / for filters, asking why a stream ends for good (`events=end`) */
  private streamUrl(): string {
    const query = new URLSearchParams();
    if (this.options.agent) query.set('agent', this.options.agent);
    if (this.options.for) query.set('for', this.options.for);
    query.set('events', 'end');
    return `${this.config.basePath}/messages/stream?${query}`;
  }

  /**
   * Waits, unless closed meanwhile.
   * @param ms how long
   */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}

/**
 * Follows a room until closed; see {@link RoomFollower}.
 * @param config settings from {@link roomConfiguration}
 * @param options what to do with messages and errors, and where to start
 * @returns the running follower
 */
export function followRoom(config: Configuration, options: FollowOptions): RoomFollower {
  return new RoomFollower(config, options);
}

/** One Server-Sent Event. */
interface SseEvent {
  id?: string;
  type: string;
  data: string;
}

/**
 * Splits a `text/event-stream` body into events (fields id, event, data); yields null for every
 * chunk that completes no event (comments, keepalives), so a reader can tell a silent stream.
 * @param body the response body
 */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent | null> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: SseEvent = { type: 'message', data: '' };
  let hasData = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    yield null;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (hasData) {
          yield event;
        }
        event = { type: 'message', data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'id') event.id = value;
      else if (field === 'event') event.type = value;
      else if (field === 'data') {
        event.data = hasData ? `${event.data}\n${value}` : value;
        hasData = true;
      }
    }
  }
}

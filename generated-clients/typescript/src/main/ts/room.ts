import { Configuration, FetchAPI, Message, MessageFromJSON, MessagesApi, ResponseError } from './generated';

/** The header of the `roomPassword` security scheme. */
export const PASSWORD_HEADER = 'X-Room-Password';

/**
 * Settings for the generated APIs that point them at a room and send its password as the
 * `X-Room-Password` header on every request (never in the URL).
 * @param baseUrl the room's base URL, e.g. `http://localhost:8765`
 * @param password the room password
 * @param fetchApi a fetch implementation; Node 20's global fetch by default
 */
export function roomConfiguration(baseUrl: string, password: string, fetchApi?: FetchAPI): Configuration {
  return new Configuration({
    basePath: baseUrl.replace(/\/+$/, ''),
    headers: { [PASSWORD_HEADER]: password },
    fetchApi,
  });
}

/** How messages currently arrive: Server-Sent Events, or long-poll when the stream is unavailable. */
export type Transport = 'stream' | 'long-poll';

/** Options of {@link followRoom}. */
export interface FollowOptions {
  /** Called once per message, in id order, never twice for the same id. */
  onMessage: (message: Message) => void;
  /** Called once if the room refuses the password (401); following then stops. */
  onError?: (error: ResponseError) => void;
  /** Replay retained messages with an id above this first (0: the whole history). Default: live only. */
  after?: number;
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
}

/** Stream answers meaning "no SSE on this path": fall back to long-poll instead of retrying. */
const NO_STREAM_HERE = new Set([404, 405, 406, 501]);

/**
 * Follows a room: Server-Sent Events from `/messages/stream`, resumed with `Last-Event-ID` after
 * every reconnect (exponential backoff), falling back to long-polling `pollMessages` with `wait`
 * when the stream is not available on the way to the server. Call {@link RoomFollower.close} to stop.
 */
export class RoomFollower {
  /** The id of the last message delivered (-1 while none was and following started live). */
  lastId: number;
  /** How messages currently arrive. */
  transport: Transport = 'stream';
  /** Resolves when following stops (close() or a refused password). */
  readonly done: Promise<void>;

  private readonly abort = new AbortController();
  private readonly messages: MessagesApi;

  /**
   * Starts following at once; prefer {@link followRoom}.
   * @param config settings from {@link roomConfiguration}
   * @param options what to do with messages and errors, and where to start
   */
  constructor(private readonly config: Configuration, private readonly options: FollowOptions) {
    this.lastId = options.after ?? -1;
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
        if (this.transport === 'stream') {
          await this.follow();
          if (this.transport === 'stream') {
            await this.pause(min); // the connection ended: reconnect, resuming
          }
        } else {
          await this.poll();
        }
        backoff = min;
      } catch (error) {
        if (this.closed) {
          return;
        }
        if (error instanceof ResponseError && (error.response.status === 401 || error.response.status === 403)) {
          this.options.onError?.(error);
          this.abort.abort();
          return;
        }
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  /** One SSE connection; returns when the server or the network ends it. */
  private async follow(): Promise<void> {
    const headers: Record<string, string> = { ...(this.config.headers ?? {}), Accept: 'text/event-stream' };
    if (this.config.apiKey && !(PASSWORD_HEADER in headers)) {
      headers[PASSWORD_HEADER] = await this.config.apiKey(PASSWORD_HEADER);
    }
    if (this.lastId >= 0) {
      headers['Last-Event-ID'] = String(this.lastId);
    }
    const fetchApi = this.config.fetchApi ?? fetch;
    const response = await fetchApi(this.streamUrl(), { headers, signal: this.abort.signal });
    const type = response.headers.get('content-type') ?? '';
    if (NO_STREAM_HERE.has(response.status) || (response.ok && !type.startsWith('text/event-stream'))) {
      await response.body?.cancel();
      this.transport = 'long-poll';
      return;
    }
    if (!response.ok || !response.body) {
      throw new ResponseError(response, `stream answered ${response.status}`);
    }
    for await (const event of sseEvents(response.body)) {
      if (event.type === 'message') {
        this.deliver(MessageFromJSON(JSON.parse(event.data)));
      }
    }
  }

  /** One long-poll round trip. */
  private async poll(): Promise<void> {
    const init = { signal: this.abort.signal };
    const filter = { agent: this.options.agent, _for: this.options.for };
    if (this.lastId < 0) {
      // Started live: skip what is already retained.
      this.lastId = (await this.messages.pollMessages({ after: 0, ...filter }, init)).next;
    }
    const result = await this.messages.pollMessages(
      { after: this.lastId, wait: this.options.pollWaitSeconds ?? 25, ...filter }, init);
    result.messages.forEach((message) => this.deliver(message));
    if (result.next < this.lastId) {
      this.lastId = result.next; // the room restarted: follow its new numbering
    }
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
    this.options.onMessage(message);
  }

  /** @returns the stream URL with the agent / for filters */
  private streamUrl(): string {
    const query = new URLSearchParams();
    if (this.options.agent) query.set('agent', this.options.agent);
    if (this.options.for) query.set('for', this.options.for);
    const suffix = query.size > 0 ? `?${query}` : '';
    return `${this.config.basePath}/messages/stream${suffix}`;
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
 * Splits a `text/event-stream` body into events (fields id, event, data; comments skipped).
 * @param body the response body
 */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: SseEvent = { type: 'message', data: '' };
  let hasData = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
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

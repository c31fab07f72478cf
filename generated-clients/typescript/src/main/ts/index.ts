/**
 * agent-chat client: the API generated from openapi/agent-chat.yaml (typescript-fetch) plus the
 * hand-written helpers in ./room (connection settings and followRoom); ./failures makes every refusal's
 * message the server's error and code, and every call that got no answer say which and why.
 */
import './failures';

export * from './generated';
export * from './room';

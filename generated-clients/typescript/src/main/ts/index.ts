/**
 * agent-chat client: the API generated from openapi/agent-chat.yaml (typescript-fetch) plus the
 * hand-written helpers in ./room (connection settings and followRoom); ./refusal makes every refusal's
 * message the server's error and code.
 */
import './refusal';

export * from './generated';
export * from './room';

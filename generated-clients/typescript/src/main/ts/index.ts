/**
 * agent-chat client: the API generated from openapi/agent-chat.yaml (typescript-fetch) plus the
 * hand-written helpers in ./room (connection settings and followRoom).
 */
export * from './generated';
export * from './room';

#!/usr/bin/env bash
# Makes a class-data-sharing archive of the classes `agent-chat serve` loads, at build time: starts
# the server from the fat jar on a free loopback port, asks it a few questions so the request path
# is loaded too, and stops it; the JVM writes the archive as it exits. The agent-chat launcher and
# the benchmark start `serve` with it when it is newer than the jar (start-up ~0.7 s sooner here).
# A failure only costs that speed-up: it is reported and the build goes on.
#   cds-archive.sh JAR ARCHIVE
set -uo pipefail
jar="$1"
archive="$2"
rm -f "$archive"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
  serve --password cds-training --host 127.0.0.1 --port 0 >"$log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|^ *API: *http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)"
  if [ -n "$port" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "cds-archive: the server did not start, so no archive was made (serve starts without one):" >&2
  cat "$log" >&2
  kill "$pid" 2>/dev/null
  exit 0
fi
# the answers end with the connection (Connection: close); timeout, where there is one, guards a hang
read_answer=(cat)
if command -v timeout >/dev/null; then read_answer=(timeout 10 cat); fi
# METHOD PATH [BODY]: one request on its own connection, answer discarded
request() {
  local body="${3:-}"
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 0
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Room-Password: cds-training\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  "${read_answer[@]}" <&3 >/dev/null
  exec 3<&-
}
request GET /health
request POST /messages '{"agent":"cds","text":"hello @cds"}'
request GET '/messages?after=0'
request GET '/messages/poll?after=0&wait=0'
request GET /agents
kill -TERM "$pid"
wait "$pid"
if [ -f "$archive" ]; then
  echo "cds-archive: wrote $archive"
else
  echo "cds-archive: the JVM wrote no archive (serve starts without one)" >&2
fi
exit 0

#!/usr/bin/env bash
# Makes the start-up archives at build time. For `agent-chat serve`: a class-data-sharing archive of
# the classes it loads: starts the server from the fat jar on a free loopback port, with the options
# the launcher gives it (src/main/jvm/serve.options), asks it a few questions so the request path is
# loaded too, and stops it; the JVM writes the archive as it exits.
# For the one-shot commands (send, read, wait, who), while that server runs: one JVM runs each of
# them against it (dev.agentchat.cli.StartupTraining) and
#   - Java 17 (the `java` on the PATH) lists the classes they load and dumps a static archive of
#     them, CLIENT_ARCHIVE (static, not dynamic: only a static archive takes picocli, whose classes
#     are Java 5 class files);
#   - a JDK with ahead-of-time caches (25 or later: AGENT_CHAT_AOT_JAVA, else the first under
#     /usr/lib/jvm), when there is one, writes CLIENT_ARCHIVE with .aot for .jsa, and the path of
#     its java beside it (.aot.java).
# The agent-chat launcher uses each one (the AOT cache where there is one, unless AGENT_CHAT_AOT=off)
# while it is newer than the jar; the benchmark times both. A failure only costs that speed-up: it is
# reported and the build goes on.
#   cds-archive.sh JAR ARCHIVE [CLIENT_ARCHIVE]
set -uo pipefail
jar="$1"
archive="$2"
client_archive="${3:-}"
aot="${client_archive%.jsa}.aot"
rm -f "$archive"
[ -z "$client_archive" ] || rm -f "$client_archive" "$aot" "$aot.java"
log="$(mktemp)"
state="$(mktemp -d)"
trap 'rm -rf "$log" "$state"' EXIT
options="$(cd "$(dirname "$0")/../main/jvm" && pwd)/serve.options"
java @"$options" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
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

# a JDK new enough for -XX:AOTCacheOutput (25+), or nothing
aot_java() {
  local candidate
  for candidate in ${AGENT_CHAT_AOT_JAVA:-} /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ] && "$candidate" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
      echo "$candidate"
      return
    fi
  done
}

# the one-shot commands as agents run them: send, read, a wait that finds a message, who
client_archives() {
  local room=(-u "http://127.0.0.1:$port" -p cds-training) quick=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
  local training=(dev.agentchat.cli.StartupTraining
    send "${room[@]}" -a cds -m 'hello @trainer' ';' read "${room[@]}" -a trainer ';'
    send "${room[@]}" -a cds -m 'again @trainer' ';' wait "${room[@]}" -a trainer --timeout 10 ';'
    who "${room[@]}" ';' read "${room[@]}" -a trainer --json ';' who "${room[@]}" --json)
  local list="$state/classes.lst" java25
  if XDG_STATE_HOME="$state" java "${quick[@]}" -XX:DumpLoadedClassList="$list" -cp "$jar" "${training[@]}" >"$state/training.log" 2>&1 \
    && java -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$client_archive" -cp "$jar" >>"$state/training.log" 2>&1 \
    && [ -f "$client_archive" ]; then
    echo "cds-archive: wrote $client_archive"
  else
    echo "cds-archive: no archive for the one-shot commands (they start without one):" >&2
    tail -20 "$state/training.log" >&2
    rm -f "$client_archive"
  fi
  java25="$(aot_java)"
  if [ -n "$java25" ]; then
    if XDG_STATE_HOME="$state" "$java25" "${quick[@]}" -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
        -cp "$jar" "${training[@]}" >"$state/training.log" 2>&1 && [ -f "$aot" ]; then
      echo "$java25" >"$aot.java"
      echo "cds-archive: wrote $aot (for $java25)"
    else
      echo "cds-archive: $java25 made no ahead-of-time cache for the one-shot commands:" >&2
      tail -20 "$state/training.log" >&2
      rm -f "$aot"
    fi
  fi
}
[ -z "$client_archive" ] || client_archives

kill -TERM "$pid"
wait "$pid"
if [ -f "$archive" ]; then
  echo "cds-archive: wrote $archive"
else
  echo "cds-archive: the JVM wrote no archive (serve starts without one)" >&2
fi
exit 0

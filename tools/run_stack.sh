#!/usr/bin/env bash
# Starts the action server and Rasa on localhost; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1
rasa_port=${RASA_PORT:-5005}
action_port=${ACTION_PORT:-5055}
web_port=${WEB_PORT:-8080}
mkdir -p var/log
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "bodam stopped."; }
trap stop INT TERM EXIT

BODAM_WARM_KNOWLEDGE=1 .venv/bin/python -m rasa_sdk --actions bot.actions --port "$action_port" \
  > var/log/actions.log 2>&1 &
pids+=($!)
.venv-rasa/bin/rasa run --model "$model" --enable-api --cors "*" --port "$rasa_port" \
  --credentials credentials.yml --endpoints endpoints.yml > var/log/rasa.log 2>&1 &
pids+=($!)
BODAM_RASA_URL="http://localhost:$rasa_port" .venv/bin/python -m console --port "$web_port" \
  > var/log/web.log 2>&1 &
pids+=($!)

echo "Starting bodam (logs in var/log/) ..."
for _ in $(seq 1 300); do
  if curl -sf "http://localhost:$rasa_port/status" > /dev/null \
     && curl -sf "http://localhost:$action_port/health" > /dev/null \
     && curl -sf "http://localhost:$web_port/healthz" > /dev/null; then
    break
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a service exited; see var/log/"; tail -n 20 var/log/*.log; exit 1; }
  done
  sleep 1
done
cat <<MSG

bodam is running:
  Web chat           http://localhost:$web_port/
  Agent console      http://localhost:$web_port/console  (password: \$BODAM_AGENT_PASSWORD, demo: bodam-demo)
  Rasa REST     POST http://localhost:$rasa_port/webhooks/rest/webhook
                curl -s localhost:$rasa_port/webhooks/rest/webhook -d '{"sender":"me","message":"안녕하세요"}'
  Rasa socket.io     http://localhost:$rasa_port/socket.io
  Rasa HTTP API      http://localhost:$rasa_port/status
  Action server      http://localhost:$action_port/health
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"

#!/usr/bin/env bash
# `rasa data validate`, failing on any warning that tools/explain_validation.py cannot explain.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(.venv-rasa/bin/rasa data validate --config config.yml --domain bot/domain --data bot/data 2>&1)
status=$?
if [ $status -ne 0 ]; then echo "$out" | tail -n 40; echo "rasa data validate failed"; exit 1; fi
if ! echo "$out" | .venv-rasa/bin/python tools/explain_validation.py; then
  echo "rasa data validate: the warnings above are not explained"; exit 1
fi
echo "rasa data validate: no unexplained warnings"

#!/usr/bin/env bash
# Prints a short hash of everything that changes the trained Rasa model.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat config.yml requirements/rasa.txt
  find bot/domain bot/data bot/components bot/nlp -type f \( -name '*.yml' -o -name '*.py' \) | sort | xargs cat
} | sha256sum | cut -c1-12

#!/usr/bin/env bash
# Builds (if needed) and runs one Otklik node on the embedded PostgreSQL, like the README's
# run command. Extra arguments are settings: deploy/run-local.sh --http.port=9090
set -euo pipefail
cd "$(dirname "$0")/.."
jar=services/otklik-app/target/otklik-app.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -q -DskipTests package
fi
exec java -jar "$jar" "$@"

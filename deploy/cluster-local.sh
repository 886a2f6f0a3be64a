#!/usr/bin/env bash
# A local Otklik cluster on loopback: one shared database process (the embedded PostgreSQL run by
# dev.otklik.app.DatabaseLauncher) and N node processes (Hazelcast TCP/IP join on 127.0.0.1),
# each on a free HTTP port. Prints the ports; Ctrl-C (or SIGTERM) stops every process it started.
#
#   deploy/cluster-local.sh 3                       # three nodes
#   deploy/cluster-local.sh 3 --admin-token=secret  # extra settings go to every node
#
# Data lives in ./.otklik-cluster (OTKLIK_CLUSTER_DIR to change); logs in its logs/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-3}
shift || true
case "$n" in ''|*[!0-9]*) echo "usage: $0 N [--key=value ...]" >&2; exit 2 ;; esac
if [ "$n" -lt 1 ]; then echo "usage: $0 N [--key=value ...] (N >= 1)" >&2; exit 2; fi

jar=services/otklik-app/target/otklik-app.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -q -DskipTests package
fi
dir=${OTKLIK_CLUSTER_DIR:-./.otklik-cluster}
mkdir -p "$dir/logs"
secret_file="$dir/jwt-secret"
if [ ! -s "$secret_file" ]; then
  head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$secret_file"
fi
secret=$(cat "$secret_file")

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo "stopping ${#pids[@]} process(es)..."
  # nodes first (SIGTERM: clean stop), the database last
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do wait "${pids[$i]}" 2>/dev/null || true; done
  echo "stopped"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# Waits until $1 (a log file) contains a line matching $2; prints the first capture group of $3.
await_line() {
  local log=$1 pattern=$2 pid=$3 deadline=$(($(date +%s) + 120))
  while ! grep -q "$pattern" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited; see $log" >&2; tail -20 "$log" >&2; exit 1; fi
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "timed out waiting for '$pattern' in $log" >&2; exit 1; fi
    sleep 0.3
  done
  grep -m1 "$pattern" "$log"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# its own session, so a terminal's Ctrl-C reaches only the nodes; the trap stops the database last
setsid java -cp "$jar" dev.otklik.app.DatabaseLauncher --data-dir="$dir/db" > "$dir/logs/database.log" 2>&1 &
pids+=($!)
line=$(await_line "$dir/logs/database.log" "Otklik database is listening on" "${pids[0]}")
db_url=$(sed -E 's/.*listening on (postgresql:[^ ]+) .*/\1/' <<< "$line")
echo "database: $db_url (log $dir/logs/database.log)"

hz_ports=()
members=""
for ((i = 1; i <= n; i++)); do
  p=$(free_port); hz_ports+=("$p"); members+="${members:+,}127.0.0.1:$p"
done

for ((i = 1; i <= n; i++)); do
  java -jar "$jar" --http.port=0 --http.host=127.0.0.1 --data-dir="$dir/node-$i" \
    --db.url="$db_url" --db.migration-user=postgres --db.migration-password= \
    --cluster=true --cluster.host=127.0.0.1 --cluster.port="${hz_ports[$((i - 1))]}" --cluster.members="$members" \
    --jwt.secret="$secret" "$@" > "$dir/logs/node-$i.log" 2>&1 &
  pids+=($!)
done
for ((i = 1; i <= n; i++)); do
  line=$(await_line "$dir/logs/node-$i.log" "Otklik is listening on" "${pids[$i]}")
  port=$(sed -E 's#.*http://localhost:([0-9]+)/.*#\1#' <<< "$line")
  echo "node-$i: http://127.0.0.1:$port/  (hazelcast 127.0.0.1:${hz_ports[$((i - 1))]}, pid ${pids[$i]}, log $dir/logs/node-$i.log)"
done
echo "cluster of $n node(s) up; readiness shows the member count: curl -s 127.0.0.1:<port>/ready"
echo "Ctrl-C stops them all."
wait

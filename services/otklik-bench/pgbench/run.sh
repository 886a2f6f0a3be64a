#!/bin/bash
# PostgreSQL alone, no JVM in the path: the SQL of a create and of a read by number (hand copies of
# TicketStore's statements, pipelined as the store sends them) against one INSERT and one SELECT by
# key, with pgbench, as the application role (row-level security on). Prints transactions per
# second and the server's CPU per transaction (machine busy time less pgbench's own).
# Needs pgbench, psql and curl (Debian: postgresql-client). Usage: run.sh [seconds] [clients...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-10}; shift || true; clients=${*:-1 4}
root=../../..; data=$(mktemp -d); log=$data/node.log
java -jar $root/services/otklik-app/target/otklik-app.jar --data-dir=$data/db --http.port=18089 \
  --admin-token=pgbench-admin --tenant-config=$root/tenant-config > $log 2>&1 &
node=$!; trap 'kill $node; wait $node 2>/dev/null; rm -rf $data' EXIT
until grep -q "Otklik is listening" $log; do sleep 1; kill -0 $node; done
port=$(grep -o "Embedded PostgreSQL on port [0-9]*" $log | grep -o "[0-9]*$")
api=http://127.0.0.1:18089/api/v1; t=$api/tenants/asmo; json='Content-Type: application/json'
id() { sed -n 's/.*"\(id\|accessToken\)":"\([^"]*\)".*/\2/p'; }
curl -sf -XPOST $api/admin/tenants/asmo/users -H "Authorization: Bearer pgbench-admin" -H "$json" \
  -d '{"email":"admin@pgbench.example","displayName":"Admin","role":"tenant_admin","password":"admin-password-1"}' > /dev/null
admin=$(curl -sf -XPOST $t/auth/login -H "$json" -d '{"email":"admin@pgbench.example","password":"admin-password-1"}' | id)
org=$(curl -sf -XPOST $t/organisations -H "Authorization: Bearer $admin" -H "$json" -d '{"name":"Больница"}' | id)
user=$(curl -sf -XPOST $t/users -H "Authorization: Bearer $admin" -H "$json" -d "{\"email\":\"c@pgbench.example\",
  \"displayName\":\"Customer\",\"role\":\"customer\",\"organisationId\":\"$org\",\"password\":\"customer-password-1\"}" | id)
psql -q -h 127.0.0.1 -p $port -U postgres -d otklik -c "CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY,
  tenant_id text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  GRANT ALL ON bench_ceiling, bench_ceiling_id_seq TO otklik_app"
busy() { read -ra a < /proc/stat; echo $(( a[1] + a[2] + a[3] + a[6] + a[7] )); }
export PGPASSWORD=otklik
for script in insert create-pipe select read-pipe; do
  n=$(psql -At -h 127.0.0.1 -p $port -U postgres -d otklik -c "SELECT greatest(1, count(*)) FROM ticket")
  # a warm-up run first: the node's start-up work and cold caches are not the script's cost
  pgbench -h 127.0.0.1 -p $port -U otklik_app -n -M prepared -c 1 -T 3 -D user=$user -D org=$org -D n=$n \
    -f $script.sql otklik > /dev/null 2>&1
  for c in $clients; do
    before=$(busy)
    out=$( { /usr/bin/time -f "pgbench-cpu %U %S" pgbench -h 127.0.0.1 -p $port -U otklik_app -n -M prepared \
      -c $c -j 1 -T $secs -D user=$user -D org=$org -D n=$n -f $script.sql otklik; } 2>&1)
    after=$(busy)
    tx=$(echo "$out" | sed -n 's/.*actually processed: \([0-9]*\).*/\1/p')
    own=$(echo "$out" | awk '/^pgbench-cpu/ {print $2 + $3}')
    awk -v s=$script -v c=$c -v tx=$tx -v secs=$secs -v b=$(( after - before )) -v own=$own 'BEGIN {
      printf "%-12s %d clients: %7.0f/s, server CPU %.3f ms per transaction\n", s, c, tx / secs, (b / 100 - own) / tx * 1000 }'
  done
done

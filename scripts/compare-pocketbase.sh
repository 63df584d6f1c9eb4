#!/usr/bin/env bash
# compare-pocketbase.sh — Torque against PocketBase on this machine, same load tool, same workload.
#
# What it does, end to end:
#   1. builds PocketBase (github.com/pocketbase/pocketbase, as a framework: pocketbase.New().Start())
#      in a temp module from the Go module proxy — never in Torque's go.mod;
#   2. builds Torque (make build);
#   3. for each server in turn (never both under load at once): fresh data dir, the same entity shape
#      (title text required max 200, status select todo/doing/done, priority integer 1..5, due date),
#      public access on PocketBase, an admin's API token on every Torque request, 10,000 seeded records, then wrk runs: get by random id, filtered sorted list
#      (page of 20), create — each RUNS times;
#   4. prints one table of req/s, p50 and p99.
#
# Only the build talks to the network (the Go module proxy, for PocketBase and the Go toolchain it
# needs). Servers, seeding and load use 127.0.0.1 only. Everything started here is stopped on exit.
#
# Needs: go, make, curl, python3, wrk (apt-get install -y wrk).
# Knobs (environment): PB_VERSION (default latest), CONNS (50), THREADS (2), DURATION (10s),
# RUNS (2), SEED (10000), PB_PORT (18190), TQ_PORT (18191), WORK (default: a new /tmp dir),
# KEEP=1 keeps WORK afterwards, TARGETS ("pocketbase torque"), PB_LOGS (1: PocketBase's default
# request log in auxiliary.db; 0 turns it off via settings logs.maxDays=0 before seeding).
set -euo pipefail

PB_VERSION=${PB_VERSION:-latest}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
RUNS=${RUNS:-2}
SEED=${SEED:-10000}
PB_PORT=${PB_PORT:-18190}
TARGETS=${TARGETS:-pocketbase torque}
PB_LOGS=${PB_LOGS:-1}
TQ_PORT=${TQ_PORT:-18191}
TORQUE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/tq-vs-pb.XXXXXX)}
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]:-}"; do
		[ -n "$pid" ] || continue
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*" >&2; }
curl_() { curl --noproxy '*' -sS --max-time 30 "$@"; }

for tool in go make curl python3 wrk; do
	command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
for port in "$PB_PORT" "$TQ_PORT"; do
	if curl --noproxy '*' -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
		echo "port $port is already in use" >&2; exit 1
	fi
done

wait_up() { # url
	local i
	for i in $(seq 1 100); do
		curl --noproxy '*' -sf -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1
	done
	echo "server at $1 did not come up" >&2; return 1
}

stop() { # pid
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------- builds
log "building PocketBase ($PB_VERSION) in $WORK/pb"
mkdir -p "$WORK/pb"
cat >"$WORK/pb/main.go" <<'EOF'
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
)

func main() {
	app := pocketbase.New()
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
EOF
printf 'module pbbench\n\ngo 1.24\n' >"$WORK/pb/go.mod"
(
	cd "$WORK/pb"
	# GOTOOLCHAIN=auto: recent PocketBase releases may need a newer Go than the local one; the go
	# command then fetches that toolchain from the module proxy (used for this build only).
	export GOTOOLCHAIN=auto GOFLAGS=-mod=mod
	go get "github.com/pocketbase/pocketbase@$PB_VERSION"
	go mod tidy
	go build -o pb .
	go version >"$WORK/pb/goversion"
)
PB_MOD_VERSION=$(grep -o 'github.com/pocketbase/pocketbase v[^ ]*' "$WORK/pb/go.mod" | awk '{print $2}' | head -1)
PB_GO=$(cat "$WORK/pb/goversion")

log "building Torque in $TORQUE_DIR"
make -C "$TORQUE_DIR" build >&2
TQ="$TORQUE_DIR/bin/torque"
TQ_COMMIT=$(git -C "$TORQUE_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
TQ_GO=$(go version)

log "building the seeder"
mkdir -p "$WORK/seed"
cat >"$WORK/seed/main.go" <<'EOF'
// seed creates N records over HTTP with a few concurrent clients and writes their ids, one a line.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
)

func main() {
	url := flag.String("url", "", "create endpoint")
	wrap := flag.Bool("wrap", false, `wrap the body in {"data": ...} (Torque)`)
	n := flag.Int("n", 10000, "records")
	c := flag.Int("c", 8, "concurrent clients")
	out := flag.String("out", "ids.txt", "file of ids")
	token := flag.String("token", "", "API token sent as Authorization: Bearer (Torque)")
	flag.Parse()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: *c}}
	statuses := []string{"todo", "doing", "done"}
	ids := make([]string, *n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < *c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rec := map[string]any{
					"title":    fmt.Sprintf("seed %d", i),
					"status":   statuses[i%3],
					"priority": i%5 + 1,
					"due":      fmt.Sprintf("2026-12-%02d", i%28+1),
				}
				var body any = rec
				if *wrap {
					body = map[string]any{"data": rec}
				}
				b, _ := json.Marshal(body)
				req, _ := http.NewRequest("POST", *url, bytes.NewReader(b))
				req.Header.Set("Content-Type", "application/json")
				if *token != "" {
					req.Header.Set("Authorization", "Bearer "+*token)
				}
				resp, err := client.Do(req)
				if err == nil {
					var got struct {
						ID string `json:"id"`
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode/100 != 2 || json.Unmarshal(raw, &got) != nil || got.ID == "" {
						err = fmt.Errorf("create %d: status %d: %s", i, resp.StatusCode, raw)
					}
					ids[i] = got.ID
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < *n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		fmt.Fprintln(os.Stderr, firstErr)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, id := range ids {
		fmt.Fprintln(f, id)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
EOF
printf 'module seed\n\ngo 1.22\n' >"$WORK/seed/go.mod"
(cd "$WORK/seed" && GOTOOLCHAIN=local go build -o seed .)

# ---------------------------------------------------------------- wrk scripts
# write_lua TARGET PATH_PREFIX WRAP IDS [AUTHORIZATION]
write_lua() {
	local t=$1 prefix=$2 wrap=$3 ids=$4 auth=${5:-} pre='' post='' authline=''
	if [ "$wrap" = 1 ]; then pre='{"data":'; post='}'; fi
	if [ -n "$auth" ]; then authline="headers[\"Authorization\"] = \"$auth\""; fi
	cat >"$WORK/$t-create.lua" <<EOF
local n = 0
local statuses = {"todo", "doing", "done"}
local headers = {["Content-Type"] = "application/json"}
$authline
request = function()
  n = n + 1
  local body = string.format('{"title":"load %d","status":"%s","priority":%d,"due":"2026-12-%02d"}',
    n, statuses[n % 3 + 1], n % 5 + 1, n % 28 + 1)
  return wrk.format("POST", "$prefix", headers, '$pre' .. body .. '$post')
end
EOF
	cat >"$WORK/$t-get.lua" <<EOF
local ids = {}
local counter = 0
local headers = {}
$authline
setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
init = function(args)
  for line in io.lines("$ids") do ids[#ids + 1] = line end
  math.randomseed(1000 + (tid or 0))
end
request = function()
  return wrk.format("GET", "$prefix/" .. ids[math.random(#ids)], headers)
end
EOF
}

# run_wrk TARGET OP URL [LUA]
run_wrk() {
	local t=$1 op=$2 url=$3 lua=${4:-} r out
	for r in $(seq 1 "$RUNS"); do
		out="$WORK/$t-$op-$r.txt"
		if [ -n "$lua" ]; then
			wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$lua" "$url" >"$out"
		else
			wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency ${WRK_AUTH:+-H "Authorization: $WRK_AUTH"} "$url" >"$out"
		fi
		cat "$out" >&2
		awk -v t="$t" -v op="$op" -v r="$r" '
			/^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
			/^Requests\/sec:/ {rps=$2}
			/requests in/ {reqs=$1}
			/Non-2xx or 3xx responses:/ {bad=$NF}
			/Socket errors:/ {serr=$0}
			END {printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, op, r, reqs, rps, p50, p99, (bad==""?0:bad)}
		' "$out" >>"$RESULTS"
		sleep 2 # let the WAL checkpoint and the server settle between runs
	done
}

# ---------------------------------------------------------------- PocketBase
if [[ " $TARGETS " == *" pocketbase "* ]]; then
log "PocketBase $PB_MOD_VERSION on 127.0.0.1:$PB_PORT"
PB_DATA="$WORK/pb_data"
"$WORK/pb/pb" superuser upsert bench@example.com benchpass123456 --dev=false --dir "$PB_DATA" >&2
# --dev=false is explicit on purpose: PocketBase guesses "go run" (and so dev mode, which prints every
# SQL statement) for any binary under the temp directory, which is where this one lives.
"$WORK/pb/pb" serve --dev=false --http "127.0.0.1:$PB_PORT" --dir "$PB_DATA" >"$WORK/pb.log" 2>&1 &
PB_PID=$!
PIDS+=("$PB_PID")
PB="http://127.0.0.1:$PB_PORT"
wait_up "$PB/api/health"
TOKEN=$(curl_ -X POST "$PB/api/collections/_superusers/auth-with-password" -H 'Content-Type: application/json' \
	-d '{"identity":"bench@example.com","password":"benchpass123456"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# Public rules ("") for list/view/create/update: the load carries no auth (Torque has none yet).
# created/updated autodate fields: Torque stores createdAt/updatedAt on every entity too.
curl_ -f -o /dev/null -X POST "$PB/api/collections" -H "Authorization: $TOKEN" -H 'Content-Type: application/json' -d '{
  "name": "items", "type": "base",
  "listRule": "", "viewRule": "", "createRule": "", "updateRule": "",
  "fields": [
    {"name": "title", "type": "text", "required": true, "max": 200},
    {"name": "status", "type": "select", "values": ["todo", "doing", "done"], "maxSelect": 1},
    {"name": "priority", "type": "number", "min": 1, "max": 5, "onlyInt": true},
    {"name": "due", "type": "date"},
    {"name": "created", "type": "autodate", "onCreate": true, "onUpdate": false},
    {"name": "updated", "type": "autodate", "onCreate": true, "onUpdate": true}
  ],
  "indexes": ["CREATE INDEX idx_items_priority ON items (priority)"]
}'
if [ "$PB_LOGS" = 0 ]; then
	curl_ -f -o /dev/null -X PATCH "$PB/api/settings" -H "Authorization: $TOKEN" -H 'Content-Type: application/json' \
		-d '{"logs":{"maxDays":0}}'
fi
log "seeding $SEED PocketBase records"
"$WORK/seed/seed" -url "$PB/api/collections/items/records" -n "$SEED" -out "$WORK/pb-ids.txt"
PB_LIST="$PB/api/collections/items/records?perPage=20&sort=-priority&filter=(status='doing'%26%26priority>=4)&skipTotal=1"
curl_ -f "$PB_LIST" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["items"])==20, d; print("list sanity: 20 items, first priority", d["items"][0]["priority"])' >&2
write_lua pb /api/collections/items/records 0 "$WORK/pb-ids.txt"
run_wrk pocketbase get "$PB" "$WORK/pb-get.lua"
run_wrk pocketbase list "$PB_LIST"
run_wrk pocketbase create "$PB" "$WORK/pb-create.lua"
stop "$PB_PID"
if [ "$(wc -c <"$WORK/pb.log")" -gt 1000000 ]; then
	echo "WARNING: PocketBase wrote $(wc -c <"$WORK/pb.log") bytes of log; was it in dev mode?" >&2
fi
fi

# ---------------------------------------------------------------- Torque
if [[ " $TARGETS " == *" torque "* ]]; then
log "Torque $TQ_COMMIT on 127.0.0.1:$TQ_PORT"
TQ_DATA="$WORK/tq_data"
"$TQ" init --data "$TQ_DATA" >&2
"$TQ" serve --data "$TQ_DATA" --addr "127.0.0.1:$TQ_PORT" --log-level warn >"$WORK/tq.log" 2>&1 &
TQ_PID=$!
PIDS+=("$TQ_PID")
TQU="http://127.0.0.1:$TQ_PORT"
wait_up "$TQU/healthz"
# Torque always authenticates: every request below carries an admin's API token. PocketBase runs
# with public rules, so it is spared its auth work.
TQ_AUTH="Bearer $("$TQ" token create --data "$TQ_DATA" --email admin@localhost --name compare 2>/dev/null)"
curl_ -f -o /dev/null -X POST "$TQU/api/v1/models" -H "Authorization: $TQ_AUTH" -H 'Content-Type: application/json' -d '{
  "name": "Cmp", "version": 1,
  "entities": [{"name": "Item", "fields": [
    {"name": "title", "type": "string", "required": true, "maxLength": 200, "indexed": true},
    {"name": "status", "type": "enum", "values": ["todo", "doing", "done"]},
    {"name": "priority", "type": "integer", "min": 1, "max": 5},
    {"name": "due", "type": "date"}
  ]}],
  "relationships": [], "pages": [], "xflows": []
}'
curl_ -f -o /dev/null -X POST "$TQU/api/v1/apps" -H "Authorization: $TQ_AUTH" -H 'Content-Type: application/json' -d '{"name":"cmp","model":"Cmp"}'
log "seeding $SEED Torque entities"
"$WORK/seed/seed" -url "$TQU/api/v1/apps/cmp/entities/Item" -wrap -n "$SEED" -out "$WORK/tq-ids.txt" -token "${TQ_AUTH#Bearer }"
TQ_LIST="$TQU/api/v1/apps/cmp/entities/Item?limit=20&sort=-priority&filter=status%20%3D%20%22doing%22%20and%20priority%20%3E%3D%204"
curl_ -f -H "Authorization: $TQ_AUTH" "$TQ_LIST" | python3 -c 'import json,sys; d=json.load(sys.stdin); it=d.get("items") or d.get("data") or d.get("entities"); assert len(it)==20, d; print("list sanity: 20 items")' >&2
write_lua tq /api/v1/apps/cmp/entities/Item 1 "$WORK/tq-ids.txt" "$TQ_AUTH"
run_wrk torque get "$TQU" "$WORK/tq-get.lua"
WRK_AUTH=$TQ_AUTH run_wrk torque list "$TQ_LIST"
run_wrk torque create "$TQU" "$WORK/tq-create.lua"
stop "$TQ_PID"
fi

# ---------------------------------------------------------------- summary
echo
echo "PocketBase $PB_MOD_VERSION ($PB_GO, request log: $([ "$PB_LOGS" = 0 ] && echo off || echo default on)) vs Torque $TQ_COMMIT ($TQ_GO)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency; $SEED records seeded; $(nproc) cores; data in $WORK"
echo
{
	printf 'server\top\trun\trequests\treq/s\tp50\tp99\tnon-2xx\n'
	cat "$RESULTS"
} | column -t -s $'\t'

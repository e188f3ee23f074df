#!/usr/bin/env bash
# A multi-silo cluster on this machine, with the same parts a real deployment uses:
#   redis-server (membership, grain state, reminders; own port, no persistence),
#   Azurite (blob artifact store, with --skipApiVersionCheck for Azure.Storage.Blobs 12.30),
#   K `cluster silo --mode redis` processes (free silo/gateway ports, advertised on 127.0.0.1).
#
# Usage:
#   scripts/local-cluster.sh start K [--dir DIR] [--cpu-slots N]   start and wait until every silo is ready
#   scripts/local-cluster.sh stop [--dir DIR]                      kill everything `start` started from DIR
#
# DIR (default artifacts/local-cluster) holds the pid files, logs, Azurite's data and `cluster.env`, which tells the
# client how to connect:   source DIR/cluster.env && ./cluster list
# (CLUSTER_REDIS + CLUSTER_ID; Cluster__Storage__* name the blob store for anything that reads silo configuration).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
azurite_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

die() { echo "local-cluster: $*" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for_port() { # port seconds what
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$3 did not open port $1 within $2 s"
    sleep 0.2
  done
}

stop_pid() { # pidfile grace-seconds: SIGTERM, then SIGKILL after the grace
  local pid; pid=$(cat "$1"); rm -f "$1"
  kill -0 "$pid" 2>/dev/null || return 1
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then kill -9 "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
}

stop() {
  local dir=$1 stopped=0
  [ -d "$dir" ] || { echo "local-cluster: nothing started in $dir"; return 0; }
  # Silos first, in parallel, while Redis is still there for their graceful leave; then the stores.
  local pids=()
  for pidfile in "$dir"/silo-*.pid; do
    [ -e "$pidfile" ] || continue
    stop_pid "$pidfile" 30 & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" && stopped=$((stopped + 1)); done
  # Azurite logs "successfully closed" on SIGTERM but its node process lingers: a short grace, then SIGKILL.
  [ -e "$dir/azurite.pid" ] && stop_pid "$dir/azurite.pid" 3 && stopped=$((stopped + 1))
  [ -e "$dir/redis.pid" ] && stop_pid "$dir/redis.pid" 10 && stopped=$((stopped + 1))
  rm -f "$dir/cluster.env"
  echo "local-cluster: stopped $stopped processes from $dir"
}

start() {
  local count=$1 dir=$2 cpu_slots=$3
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "K must be a positive number of silos (got '$count')"
  if compgen -G "$dir/*.pid" >/dev/null; then die "$dir already has a running cluster: run '$0 stop --dir $dir' first"; fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  bash "$root/scripts/setup.sh"
  # The wrapper builds artifacts/cluster once (incrementally) and runs it.
  "$root/cluster" --help >/dev/null
  trap 'echo "local-cluster: start failed; stopping what started" >&2; stop "$dir" >&2' ERR

  local redis_port blob_port cluster_id
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  wait_for_port "$redis_port" 15 "redis-server"

  blob_port=$(free_port)
  mkdir -p "$dir/azurite"
  "$root/.tools/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$blob_port" \
    --location "$dir/azurite" --silent --skipApiVersionCheck >"$dir/azurite.log" 2>&1 &
  echo $! >"$dir/azurite.pid"
  wait_for_port "$blob_port" 30 "azurite-blob"

  cluster_id="local-$(date +%s)"
  local storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azurite_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
  for i in $(seq 1 "$count"); do
    Cluster__Storage__Kind=azure Cluster__Storage__ConnectionString="$storage" Cluster__Storage__Container=checkpoints \
      nohup dotnet "$root/artifacts/cluster/cluster.dll" silo --mode redis --redis "127.0.0.1:$redis_port" \
      --cluster-id "$cluster_id" --name "silo-$i" --silo-port 0 --gateway-port 0 --advertised-ip 127.0.0.1 \
      --cpu-slots "$cpu_slots" --scratch-path "$dir/scratch/silo-$i" \
      >"$dir/silo-$i.log" 2>"$dir/silo-$i.err" </dev/null &
    echo $! >"$dir/silo-$i.pid"
  done

  local deadline=$((SECONDS + 180))
  for i in $(seq 1 "$count"); do
    until grep -q " ready at " "$dir/silo-$i.log" 2>/dev/null; do
      kill -0 "$(cat "$dir/silo-$i.pid")" 2>/dev/null || die "silo-$i exited: $(tail -n 3 "$dir/silo-$i.err" | tr '\n' ' ')"
      [ $SECONDS -lt $deadline ] || die "silo-$i was not ready within 180 s (see $dir/silo-$i.err)"
      sleep 0.5
    done
    head -n 1 "$dir/silo-$i.log"
  done
  trap - ERR

  cat >"$dir/cluster.env" <<ENV
export CLUSTER_REDIS=127.0.0.1:$redis_port
export CLUSTER_ID=$cluster_id
export Cluster__Storage__Kind=azure
export Cluster__Storage__ConnectionString='$storage'
export Cluster__Storage__Container=checkpoints
ENV
  echo "local-cluster: $count silos up (redis 127.0.0.1:$redis_port, blobs 127.0.0.1:$blob_port); connect with: source $dir/cluster.env"
}

command=${1:-}; shift || true
dir="$root/artifacts/local-cluster"; cpu_slots=1; count=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir=$2; shift 2 ;;
    --cpu-slots) [ $# -ge 2 ] || die "--cpu-slots needs a number"; cpu_slots=$2; shift 2 ;;
    -*) die "unknown option '$1'" ;;
    *) [ -z "$count" ] || die "unexpected argument '$1'"; count=$1; shift ;;
  esac
done
case "$command" in
  start) [ -n "$count" ] || die "usage: $0 start K [--dir DIR] [--cpu-slots N]"; start "$count" "$dir" "$cpu_slots" ;;
  stop) [ -z "$count" ] || die "usage: $0 stop [--dir DIR]"; stop "$dir" ;;
  *) die "usage: $0 start K [--dir DIR] [--cpu-slots N] | stop [--dir DIR]" ;;
esac

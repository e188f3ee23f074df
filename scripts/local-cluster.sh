#!/usr/bin/env bash
# A multi-silo cluster on this machine, with the same parts a real deployment uses:
#   redis-server (membership, grain state, reminders; own port, no persistence),
#   Azurite (blob artifact store, with --skipApiVersionCheck for Azure.Storage.Blobs 12.30),
#   K `cluster silo --mode redis` processes (free silo/gateway ports, advertised on 127.0.0.1).
#
# Usage:
#   scripts/local-cluster.sh start K [--dir DIR] [--cpu-slots N] [--torch-threads T] [--cluster-id ID]
#                                      start and wait until every silo is ready
#   scripts/local-cluster.sh add [--dir DIR] [--cpu-slots N] [--torch-threads T]
#                                      start one more silo into the running cluster (a silo joining) and wait for it
#   scripts/local-cluster.sh list [--dir DIR]
#                                      one line per silo ever started from DIR (see below)
#   scripts/local-cluster.sh stop [--dir DIR]
#                                      stop everything `start` and `add` started from DIR
#
# DIR (default artifacts/local-cluster) holds the pid files, logs, Azurite's data and `cluster.env`, which tells the
# client how to connect:   source DIR/cluster.env && ./cluster list
# (CLUSTER_REDIS + CLUSTER_ID; Cluster__Storage__* name the blob store for anything that reads silo configuration).
#
# Silo i (1, 2, ... in start order; `add` takes the next number) is named `silo-i`; its files in DIR are
# silo-i.pid (process id), silo-i.log (stdout; the first line is the silo's ready line), silo-i.err (stderr) and
# scratch/silo-i/. `list` prints a header and then, per silo, whitespace-separated columns:
#   NAME     PID    STATE    ADDRESS                      GATEWAY
#   silo-1   4242   running  127.0.0.1:40001@123456789    127.0.0.1:40002
# STATE is running, stopped (SIGSTOP: alive but hung) or exited (killed or ended); ADDRESS is Orleans' parsable silo
# address from the ready line (what `cluster status` shows as a worker's silo), GATEWAY is host:port for --gateway.
#
# --cpu-slots N: CPU slots per silo (default 1). --torch-threads T: torch intra-op threads per silo (OMP_NUM_THREADS
# and MKL_NUM_THREADS; default: libtorch's, one per core). `add` reuses start's settings unless given.
# --cluster-id ID: the Orleans cluster id (default local-<time>-<pid>); a client given only --gateway assumes
# CLUSTER_ID or else `cluster`, so tests that connect by gateway start with --cluster-id cluster.
# LOCAL_CLUSTER_DLL=path/cluster.dll runs that build of the silo instead of building artifacts/cluster (tests use
# their own build). Environment variables (e.g. Cluster__Membership__ProbeTimeout=00:00:01) pass on to the silos.
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

stop_pid() { # pidfile grace-seconds: SIGTERM (and SIGCONT, so a paused silo can leave), then SIGKILL after the grace
  local pid; pid=$(cat "$1"); rm -f "$1"
  kill -0 "$pid" 2>/dev/null || return 1
  kill "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
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
  rm -f "$dir/cluster.env" "$dir/silo.env"
  echo "local-cluster: stopped $stopped processes from $dir"
}

silo_dll() { # the cluster.dll silos run: LOCAL_CLUSTER_DLL, else artifacts/cluster built (incrementally) by the wrapper
  if [ -n "${LOCAL_CLUSTER_DLL:-}" ]; then
    [ -f "$LOCAL_CLUSTER_DLL" ] || die "LOCAL_CLUSTER_DLL=$LOCAL_CLUSTER_DLL does not exist"
    echo "$LOCAL_CLUSTER_DLL"
  else
    "$root/cluster" --help >/dev/null
    echo "$root/artifacts/cluster/cluster.dll"
  fi
}

launch_silo() { # dir index: starts silo-index with the settings in DIR/cluster.env and DIR/silo.env, no wait
  local dir=$1 i=$2
  (
    # shellcheck disable=SC1091
    source "$dir/cluster.env"; source "$dir/silo.env"
    if [ -n "$SILO_TORCH_THREADS" ]; then export OMP_NUM_THREADS=$SILO_TORCH_THREADS MKL_NUM_THREADS=$SILO_TORCH_THREADS; fi
    nohup dotnet "$SILO_DLL" silo --mode redis --redis "$CLUSTER_REDIS" \
      --cluster-id "$CLUSTER_ID" --name "silo-$i" --silo-port 0 --gateway-port 0 --advertised-ip 127.0.0.1 \
      --cpu-slots "$SILO_CPU_SLOTS" --scratch-path "$dir/scratch/silo-$i" \
      >"$dir/silo-$i.log" 2>"$dir/silo-$i.err" </dev/null &
    echo $! >"$dir/silo-$i.pid"
  )
}

wait_ready() { # dir index deadline-seconds-from-now
  local dir=$1 i=$2 deadline=$((SECONDS + $3))
  until grep -q " ready at " "$dir/silo-$i.log" 2>/dev/null; do
    kill -0 "$(cat "$dir/silo-$i.pid")" 2>/dev/null || die "silo-$i exited: $(tail -n 3 "$dir/silo-$i.err" | tr '\n' ' ')"
    [ $SECONDS -lt $deadline ] || die "silo-$i was not ready within $3 s (see $dir/silo-$i.err)"
    sleep 0.5
  done
  head -n 1 "$dir/silo-$i.log"
}

write_silo_env() { # dir dll cpu-slots torch-threads
  cat >"$1/silo.env" <<ENV
SILO_DLL='$2'
SILO_CPU_SLOTS=$3
SILO_TORCH_THREADS=$4
ENV
}

valid_settings() { # cpu-slots torch-threads
  [[ "$1" =~ ^[1-9][0-9]*$ ]] || die "--cpu-slots must be a positive number (got '$1')"
  [ -z "$2" ] || [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "--torch-threads must be a positive number (got '$2')"
}

start() {
  local count=$1 dir=$2 cpu_slots=${3:-1} threads=$4 cluster_id=$5
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "K must be a positive number of silos (got '$count')"
  valid_settings "$cpu_slots" "$threads"
  if compgen -G "$dir/*.pid" >/dev/null; then die "$dir already has a running cluster: run '$0 stop --dir $dir' first"; fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  rm -f "$dir"/silo-*.log "$dir"/silo-*.err
  bash "$root/scripts/setup.sh"
  local dll; dll=$(silo_dll)
  # Whatever makes start fail (a die, a failed command) stops what it started.
  # (The EXIT trap runs after this function returned: it sees globals only.)
  start_dir=$dir start_ok=0
  trap '[ "$start_ok" -eq 1 ] || { echo "local-cluster: start failed; stopping what started" >&2; stop "$start_dir" >&2; }' EXIT

  local redis_port blob_port
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

  [ -n "$cluster_id" ] || cluster_id="local-$(date +%s)-$$"
  local storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azurite_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
  cat >"$dir/cluster.env" <<ENV
export CLUSTER_REDIS=127.0.0.1:$redis_port
export CLUSTER_ID=$cluster_id
export Cluster__Storage__Kind=azure
export Cluster__Storage__ConnectionString='$storage'
export Cluster__Storage__Container=checkpoints
ENV
  write_silo_env "$dir" "$dll" "$cpu_slots" "$threads"

  for i in $(seq 1 "$count"); do launch_silo "$dir" "$i"; done
  for i in $(seq 1 "$count"); do wait_ready "$dir" "$i" 180; done
  start_ok=1
  echo "local-cluster: $count silos up (redis 127.0.0.1:$redis_port, blobs 127.0.0.1:$blob_port); connect with: source $dir/cluster.env"
}

add() {
  local dir=$1 cpu_slots=$2 threads=$3
  [ -f "$dir/cluster.env" ] && [ -f "$dir/silo.env" ] || die "no running cluster in $dir: run '$0 start K --dir $dir' first"
  dir="$(cd "$dir" && pwd)"
  # shellcheck disable=SC1091
  source "$dir/silo.env"
  valid_settings "${cpu_slots:-$SILO_CPU_SLOTS}" "${threads:-$SILO_TORCH_THREADS}"
  write_silo_env "$dir" "$SILO_DLL" "${cpu_slots:-$SILO_CPU_SLOTS}" "${threads:-$SILO_TORCH_THREADS}"
  local last=0 n
  for log in "$dir"/silo-*.log; do
    [ -e "$log" ] || continue
    n=${log##*/silo-}; n=${n%.log}
    [ "$n" -gt "$last" ] && last=$n
  done
  local i=$((last + 1))
  launch_silo "$dir" "$i"
  wait_ready "$dir" "$i" 180
  echo "local-cluster: silo-$i joined"
}

list() {
  local dir=$1
  [ -d "$dir" ] || die "nothing started in $dir"
  printf '%-8s %-8s %-8s %-28s %s\n' NAME PID STATE ADDRESS GATEWAY
  local logs=() log name pid state ready address gateway
  for log in "$dir"/silo-*.log; do [ -e "$log" ] && logs+=("$log"); done
  [ ${#logs[@]} -gt 0 ] || return 0
  # Numeric order: silo-2 before silo-10.
  while read -r log; do
    name=$(basename "$log" .log)
    pid=$(cat "$dir/$name.pid" 2>/dev/null || echo -)
    state=exited
    if [ "$pid" != - ] && [ -r "/proc/$pid/stat" ]; then
      # Field 3 of /proc/PID/stat (after the parenthesised command) is the state: T = stopped by a signal.
      case "$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" in
        T|t) state=stopped ;;
        Z|X) state=exited ;;
        *) state=running ;;
      esac
    fi
    ready=$(grep -m1 " ready at " "$log" || true)
    address=-; gateway=-
    if [ -n "$ready" ]; then
      address=$(sed 's/.* ready at \([^,]*\),.*/\1/' <<<"$ready")
      gateway="${address%%:*}:$(sed 's/.*, gateway \([0-9]*\).*/\1/' <<<"$ready")"
    fi
    printf '%-8s %-8s %-8s %-28s %s\n' "$name" "$pid" "$state" "$address" "$gateway"
  done < <(printf '%s\n' "${logs[@]}" | sort -t- -k2 -n)
}

command=${1:-}; shift || true
dir="$root/artifacts/local-cluster"; cpu_slots=""; threads=""; count=""; cluster_id=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir=$2; shift 2 ;;
    --cpu-slots) [ $# -ge 2 ] || die "--cpu-slots needs a number"; cpu_slots=$2; shift 2 ;;
    --torch-threads) [ $# -ge 2 ] || die "--torch-threads needs a number"; threads=$2; shift 2 ;;
    --cluster-id) [ $# -ge 2 ] && [[ "$2" =~ ^[A-Za-z0-9._-]+$ ]] || die "--cluster-id needs a name of letters, digits, '.', '_' or '-'"
      cluster_id=$2; shift 2 ;;
    -*) die "unknown option '$1'" ;;
    *) [ -z "$count" ] || die "unexpected argument '$1'"; count=$1; shift ;;
  esac
done
usage="usage: $0 start K [--dir DIR] [--cpu-slots N] [--torch-threads T] [--cluster-id ID] | add [--dir DIR] [--cpu-slots N] [--torch-threads T] | list [--dir DIR] | stop [--dir DIR]"
case "$command" in
  start) [ -n "$count" ] || die "$usage"; start "$count" "$dir" "$cpu_slots" "$threads" "$cluster_id" ;;
  add) [ -z "$count" ] && [ -z "$cluster_id" ] || die "$usage"; add "$dir" "$cpu_slots" "$threads" ;;
  list) [ -z "$count$cpu_slots$threads$cluster_id" ] || die "$usage"; list "$dir" ;;
  stop) [ -z "$count$cpu_slots$threads$cluster_id" ] || die "$usage"; stop "$dir" ;;
  *) die "$usage" ;;
esac

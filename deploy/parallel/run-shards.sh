#!/usr/bin/env bash
# Run one owa-audit scan as N shards with GNU parallel — on SSH hosts, on this machine, or both —
# bring the shard runs together and merge them here. See docs/scaling.md.
#
#   deploy/parallel/run-shards.sh SCAN_FILE SHARDS SSHLOGIN...
#   deploy/parallel/run-shards.sh scans/cert.yaml 4 scan@scan1.cert.example scan@scan2.cert.example
#   deploy/parallel/run-shards.sh scans/cert.yaml 4 4/:          # four shards at once on this machine
#
# - SSHLOGIN is GNU parallel's: user@host, or ":" for this machine. Each runs one shard at a time;
#   write N/SSHLOGIN to run N at once there ("2/scan@scan1.cert.example", "4/:"). With fewer slots
#   than shards the others wait for a free one.
# - Remote hosts need owa-audit on their PATH (npm install, or a wrapper around the container
#   image), bash, rsync and a source address the scanned networks expect. The scan file and the
#   targets files it names must sit in one directory: that directory is copied to every remote
#   host, and the shard runs come back with `parallel --return` (rsync over ssh).
# - ":" needs neither ssh nor rsync: its shards read the scan file where it is and write their runs
#   straight into RUNS_DIR/RUN_ID.
# - probe.rate in the scan file is per shard (total budget / SHARDS).
# - A failed shard is retried (RETRIES); when it lands on the host that has its run directory it
#   resumes it. Run the script again with the same RUN_ID to finish what is missing.
# - Results: RUNS_DIR/RUN_ID/shard-KofN and RUNS_DIR/RUN_ID/merged (merged by `owa-audit` on this
#   machine's PATH; it writes the reports and records the run in the history as `merge` does).
#
# Environment: RUN_ID (default: scan file name + UTC time), RUNS_DIR (default scans/runs),
# OWA_AUDIT (command that runs a shard, default owa-audit), RETRIES (default 2), REMOTE_DIR
# (default owa-audit-shards, relative to the remote login directory; shards run in
# REMOTE_DIR/RUN_ID there).
set -euo pipefail

usage() {
  echo "usage: $0 SCAN_FILE SHARDS SSHLOGIN...   (SSHLOGIN: user@host, : for this machine, N/… for N at once)" >&2
  exit 2
}

[ "$#" -ge 3 ] || usage
scan_file=$1
shards=$2
shift 2
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SHARDS must be a whole number above 0, got '$shards'" >&2; exit 2; }
[ -f "$scan_file" ] || { echo "$0: no such scan file: $scan_file" >&2; exit 2; }

# Every login gets a slot count (GNU parallel's N/sshlogin; 1 unless given); ":" is this machine.
logins=()
remote_logins=()
for login in "$@"; do
  slots=1
  host=$login
  if [[ "$login" =~ ^([0-9]+)/(.*)$ ]]; then
    slots=${BASH_REMATCH[1]}
    host=${BASH_REMATCH[2]}
  fi
  [ "$slots" -ge 1 ] && [ -n "$host" ] || { echo "$0: not an SSHLOGIN: '$login'" >&2; exit 2; }
  logins+=("$slots/$host")
  [ "$host" = ":" ] || remote_logins+=("$host")
done

command -v parallel >/dev/null || { echo "$0: GNU parallel is needed (apt-get install parallel)" >&2; exit 1; }
if [ "${#remote_logins[@]}" -gt 0 ]; then
  command -v rsync >/dev/null || { echo "$0: rsync is needed for remote hosts" >&2; exit 1; }
  command -v ssh >/dev/null || { echo "$0: ssh is needed for remote hosts" >&2; exit 1; }
fi

scan_dir=$(cd "$(dirname "$scan_file")" && pwd)
scan_name=$(basename "$scan_file")
run_id=${RUN_ID:-${scan_name%.*}-$(date -u +%Y%m%dT%H%M%SZ)}
runs_dir=${RUNS_DIR:-scans/runs}
owa=${OWA_AUDIT:-owa-audit}
retries=${RETRIES:-2}
remote=${REMOTE_DIR:-owa-audit-shards}
local_runs="$runs_dir/$run_id"
mkdir -p "$local_runs"
local_runs=$(cd "$local_runs" && pwd)
echo "run $run_id: $shards shards on ${logins[*]}; results in $local_runs" >&2

# 1. The scan directory (scan file + targets files) to every remote host.
for login in ${remote_logins[@]+"${remote_logins[@]}"}; do
  ssh "$login" mkdir -p "$remote/$run_id/scan"
  rsync -a "$scan_dir/" "$login:$remote/$run_id/scan/"
done

# 2. One job per shard (its output, tagged "shard K", to stderr: stdout is the merged run's
#    directory, as for `owa-audit merge`). A job knows where it runs from $PARALLEL_SSHLOGIN
#    (":" here): here it reads the scan file in place and writes into $local_runs; on a remote
#    host it runs in REMOTE_DIR/RUN_ID (--workdir), next to the copied scan directory, and
#    `--return` copies its shard-KofN from there into $local_runs. A run directory left by an
#    earlier attempt is resumed rather than started again.
shard_cmd() {
  local k=$1 n=$2 owa=$3 scan=$4 local_scan=$5 local_runs=$6
  local dir="$PWD/shard-${k}of${n}" scan_path="$PWD/scan/$scan"
  if [ "${PARALLEL_SSHLOGIN-}" = ":" ]; then
    dir="$local_runs/shard-${k}of${n}"
    scan_path=$local_scan
  fi
  if [ -f "$dir/run.json" ]; then
    exec "$owa" scan --resume "$dir" --no-history
  fi
  exec "$owa" scan "$scan_path" --shard "$k/$n" --out "$dir" --no-history
}
export -f shard_cmd
# The jobs call a bash function (--env shard_cmd): parallel must run them with bash, here and
# over ssh, also where SHELL is unset or another shell (a CI job, cron, a service account).
export PARALLEL_SHELL=bash SHELL=/bin/bash

remote_opts=()
[ "${#remote_logins[@]}" -eq 0 ] || remote_opts=(--workdir "$remote/$run_id" --return "shard-{}of$shards")
sshlogins=$(IFS=,; echo "${logins[*]}")
status=0
(
  cd "$local_runs"
  seq 1 "$shards" | parallel --sshlogin "$sshlogins" --retries "$retries" --line-buffer \
    --tagstring 'shard {}' --joblog joblog --env shard_cmd ${remote_opts[@]+"${remote_opts[@]}"} \
    shard_cmd {} "$shards" "$owa" "$scan_name" "$scan_dir/$scan_name" "$local_runs" >&2
) || status=$?
[ "$status" -eq 0 ] || echo "$0: $status shard job(s) failed; see $local_runs/joblog" >&2
# --workdir is made on this machine too (its jobs do not use it): leave no empty copy behind.
case "$remote" in
  /*) ;;
  *)
    d="$remote/$run_id"
    while [ "$d" != "." ] && rmdir "$local_runs/$d" 2>/dev/null; do d=$(dirname "$d"); done
    ;;
esac

# 3. Merge: reports and history like a scan. Exit status 2 names what is missing or does not
#    fit; rerun this script with RUN_ID=$run_id to finish missing shards, or merge with --partial.
exec owa-audit merge "$local_runs"/shard-*of"$shards" --out "$local_runs/merged"

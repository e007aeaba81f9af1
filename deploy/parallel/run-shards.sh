#!/usr/bin/env bash
# Run one owa-audit scan as N shards on SSH hosts with GNU parallel, copy the shard runs back
# (parallel --return, which uses rsync) and merge them here. See docs/scaling.md.
#
#   deploy/parallel/run-shards.sh SCAN_FILE SHARDS SSHLOGIN...
#   deploy/parallel/run-shards.sh scans/cert.yaml 4 scan@scan1.cert.example scan@scan2.cert.example
#
# - Each SSHLOGIN (user@host) runs one shard at a time; with fewer hosts than shards the others
#   wait for a free host. Every host needs owa-audit on its PATH (npm install, or a wrapper around
#   the container image), bash, rsync and a source address the scanned networks expect.
# - The scan file and the targets files it names must sit in one directory: that directory is
#   copied to every host. probe.rate in the scan file is per shard (total budget / SHARDS).
# - A failed shard is retried (RETRIES); when it lands on the host that has its run directory it
#   resumes it. Run the script again with the same RUN_ID to finish what is missing.
# - Results: RUNS_DIR/RUN_ID/shard-KofN (copied back) and RUNS_DIR/RUN_ID/merged.
#
# Environment: RUN_ID (default: scan file name + UTC time), RUNS_DIR (default scans/runs),
# OWA_AUDIT (command on the hosts, default owa-audit), RETRIES (default 2), REMOTE_DIR (default
# owa-audit-shards, under the remote login directory).
set -euo pipefail

usage() {
  echo "usage: $0 SCAN_FILE SHARDS SSHLOGIN..." >&2
  exit 2
}

[ "$#" -ge 3 ] || usage
scan_file=$1
shards=$2
shift 2
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "$0: SHARDS must be a whole number above 0, got '$shards'" >&2; exit 2; }
[ -f "$scan_file" ] || { echo "$0: no such scan file: $scan_file" >&2; exit 2; }
command -v parallel >/dev/null || { echo "$0: GNU parallel is needed (apt-get install parallel)" >&2; exit 1; }
command -v rsync >/dev/null || { echo "$0: rsync is needed" >&2; exit 1; }

scan_dir=$(cd "$(dirname "$scan_file")" && pwd)
scan_name=$(basename "$scan_file")
run_id=${RUN_ID:-${scan_name%.*}-$(date -u +%Y%m%dT%H%M%SZ)}
runs_dir=${RUNS_DIR:-scans/runs}
owa=${OWA_AUDIT:-owa-audit}
retries=${RETRIES:-2}
remote=${REMOTE_DIR:-owa-audit-shards}
local_runs="$runs_dir/$run_id"
mkdir -p "$local_runs"
echo "run $run_id: $shards shards on $# host(s); results in $local_runs" >&2

# 1. The scan directory (scan file + targets files) to every host.
for login in "$@"; do
  ssh "$login" mkdir -p "$remote/$run_id/scan"
  rsync -a "$scan_dir/" "$login:$remote/$run_id/scan/"
done

# 2. One job per shard, one job at a time per host. On the host, a run directory left by an
#    earlier attempt is resumed rather than started again. `--return` copies shard-KofN back
#    (the part after "/./" is recreated under the local directory, here $local_runs).
shard_cmd() {
  local k=$1 n=$2 base=$3 owa=$4 scan=$5
  local dir="$base/shard-${k}of${n}"
  if [ -f "$dir/run.json" ]; then
    exec "$owa" scan --resume "$dir" --no-history
  fi
  exec "$owa" scan "$base/scan/$scan" --shard "$k/$n" --out "$dir" --no-history
}
export -f shard_cmd

logins=$(IFS=,; echo "$*")
status=0
(
  cd "$local_runs"
  seq 1 "$shards" | parallel --sshlogin "$logins" --jobs 1 --retries "$retries" --line-buffer \
    --tagstring 'shard {}' --joblog joblog --env shard_cmd \
    --return "$remote/$run_id/./shard-{}of$shards" \
    shard_cmd {} "$shards" "$remote/$run_id" "$owa" "$scan_name"
) || status=$?
[ "$status" -eq 0 ] || echo "$0: $status shard job(s) failed; see $local_runs/joblog" >&2

# 3. Merge: reports and history like a scan. Exit status 2 names what is missing or does not
#    fit; rerun this script with RUN_ID=$run_id to finish missing shards, or merge with --partial.
exec owa-audit merge "$local_runs"/shard-*of"$shards" --out "$local_runs/merged"

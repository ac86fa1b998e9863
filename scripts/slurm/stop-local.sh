#!/usr/bin/env bash
# Stops the Slurm that scripts/slurm/start-local.sh started for a state folder
# (default /tmp/atelier-slurm): cancels its running jobs, then stops slurmd, slurmctld
# and munged by the pids in their pid files, and waits until they have exited.
# Leaves the state folder (config, key, logs) in place, less env.sh; does nothing if
# nothing runs.
set -euo pipefail

state=$(realpath -m "${1:-/tmp/atelier-slurm}")
here=$(dirname "$(realpath "$0")")
# shellcheck source=scripts/slurm/common.sh
source "$here/common.sh"

stop_instance

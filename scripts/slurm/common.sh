# shellcheck shell=bash
# Shared by start-local.sh and stop-local.sh; sourced, not run.
# Expects $state (an absolute path) to be set by the caller.
# shellcheck disable=SC2154

log() { echo "slurm-local: $*" >&2; }

# The daemons live in /usr/sbin, which a non-root PATH often lacks.
sbin() {
  command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"
}

conf=$state/slurm.conf
munge_socket=$state/munge/munge.socket

# The argument that identifies each daemon as ours: a pid from a stale pid file may
# have been reused by an unrelated process, and a daemon of another state folder
# must not be touched either, so a pid only counts when its command line carries it.
marker_arg() {
  case $1 in
    munged) echo "--socket=$munge_socket" ;;
    slurmctld | slurmd) echo "$conf" ;;
  esac
}

pid_file() {
  case $1 in
    munged) echo "$state/run/munged.pid" ;;
    slurmctld) echo "$state/run/slurmctld.pid" ;;
    slurmd) echo "$state/run/slurmd.pid" ;;
  esac
}

# Prints the pid of daemon $1 if it is alive and was started for this state folder.
live_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -r $f ]] || return 1
  pid=$({ tr -dc '0-9' <"$f"; } 2>/dev/null) || return 1
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  { tr '\0' '\n' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -Fx -- "$(marker_arg "$1")" >/dev/null || return 1
  echo "$pid"
}

# slurmstepd (one per job step) detaches from slurmd and outlives it. slurmd is
# started with this variable in its environment, which slurmstepd inherits, so the
# steps of this instance can be told apart from those of any other Slurm.
step_marker="ATELIER_SLURM_STATE=$state"

stepd_pids() {
  local p comm
  for p in /proc/[0-9]*; do
    { read -r comm <"$p/comm"; } 2>/dev/null || continue
    [[ $comm == slurmstepd ]] || continue
    { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -Fx -- "$step_marker" >/dev/null || continue
    echo "${p#/proc/}"
  done
}

# Sets ps_state, ps_ppid and ps_pgrp from /proc/$1/stat (read past the command name,
# which may itself hold spaces and parentheses). Builtins only: it runs for every
# process on the machine.
proc_stat() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r ps_state ps_ppid ps_pgrp _ <<<"${stat##*) }"
}

# True while process $1 exists and is not a zombie (a zombie has exited for our purposes,
# it only waits for its parent, maybe a slow init, to reap it).
running() {
  proc_stat "$1" && [[ $ps_state != Z ]]
}

# Sends $1 to the pids that follow, then waits up to $2 seconds for them to exit.
# Returns non-zero if some are still running.
signal_and_wait() {
  local sig=$1 secs=$2 pid alive i
  shift 2
  for pid in "$@"; do kill "-$sig" "$pid" 2>/dev/null || true; done
  for ((i = 0; i < secs * 10; i++)); do
    alive=0
    for pid in "$@"; do running "$pid" && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  return 1
}

# The processes of the jobs run by the slurmstepd pids given: slurmstepd puts each
# task in a process group of its own (proctrack/pgid), so these are the members of
# the process groups of its children.
job_pids() {
  local p own=" " groups=" "
  for p in "$@"; do proc_stat "$p" && own+="$ps_pgrp "; done
  for p in /proc/[0-9]*; do
    proc_stat "${p#/proc/}" || continue
    if [[ " $* " == *" $ps_ppid "* && $own != *" $ps_pgrp "* ]]; then
      groups+="$ps_pgrp "
    fi
  done
  [[ $groups != " " ]] || return 0
  for p in /proc/[0-9]*; do
    proc_stat "${p#/proc/}" || continue
    if [[ $ps_state != Z && $groups == *" $ps_pgrp "* ]]; then
      echo "${p#/proc/}"
    fi
  done
}

# Stops everything this state folder's instance started: its jobs first (their
# slurmstepd would outlive the daemons), then slurmd, slurmctld and munged.
stop_instance() {
  local name pid jobs steps kill_wait
  if live_pid slurmctld >/dev/null && [[ -n $(stepd_pids) ]]; then
    # Cancelling through slurmctld ends the steps the way a test expects (SIGTERM,
    # KillWait, SIGKILL) instead of orphaning them when slurmd goes.
    jobs=$(SLURM_CONF=$conf squeue -h -o %A 2>/dev/null | tr '\n' ' ' || true)
    if [[ -n ${jobs// /} ]]; then
      log "cancelling the jobs still running: $jobs"
      # shellcheck disable=SC2086 # one word per job id
      SLURM_CONF=$conf scancel --quiet $jobs 2>/dev/null || true
      kill_wait=$(sed -n 's/^KillWait=//p' "$conf")
      mapfile -t steps < <(stepd_pids)
      ((${#steps[@]} == 0)) || signal_and_wait 0 $((${kill_wait:-30} + 10)) "${steps[@]}" || true
    fi
  fi
  for name in slurmd slurmctld munged; do
    pid=$(live_pid "$name") || continue
    log "stopping $name (pid $pid)"
    if ! signal_and_wait TERM 30 "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for 30 s; killing it"
      signal_and_wait KILL 5 "$pid" || true
    fi
  done
  # Steps left over when slurmctld was already gone (the instance was killed, say):
  # end their jobs the way a cancel would, SIGTERM and SIGKILL after KillWait, then
  # the slurmstepd themselves, which have no slurmd left to report to.
  mapfile -t steps < <(stepd_pids)
  if ((${#steps[@]})); then
    local procs
    mapfile -t procs < <(job_pids "${steps[@]}")
    log "ending leftover job steps: slurmstepd ${steps[*]}, job processes ${procs[*]}"
    kill_wait=$(sed -n 's/^KillWait=//p' "$conf")
    if ((${#procs[@]})) && ! signal_and_wait TERM "${kill_wait:-30}" "${procs[@]}"; then
      signal_and_wait KILL 5 "${procs[@]}" || true
    fi
    signal_and_wait KILL 5 "${steps[@]}" || true
  fi
  for name in slurmd slurmctld munged; do rm -f "$(pid_file "$name")"; done
  # Whoever sources env.sh from now on should find no cluster rather than a dead one.
  rm -f "$state/env.sh"
}

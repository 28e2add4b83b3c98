# Shell functions shared by the start scripts under deploy/ (sourced, not run).

# owns_pid PIDFILE MARKER: true when PIDFILE names a live process whose command line contains MARKER.
# A pid file outlives its process, and the kernel hands the pid to another one later: where /proc
# exists, the marker (the work folder, a properties file) tells ours from a stranger, so that `stop`
# never kills a process it did not start. Without /proc, a live pid is taken as ours.
owns_pid() {
  local pidfile="$1" marker="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  if [[ -d /proc/self ]]; then
    grep -qF "$marker" "/proc/$pid/cmdline" 2>/dev/null
  else
    kill -0 "$pid" 2>/dev/null
  fi
}

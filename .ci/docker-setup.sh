#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for the Docker-backed tests (the MCP gateway runtime and its stand-in image).
#
#   - `docker info` answers: nothing to do (it only makes sure busybox-static is there: the test images are built from it).
#   - Otherwise: installs Debian's docker.io and busybox-static (quiet, non-interactive) when dockerd is missing, starts dockerd in
#     the background (--host=unix:///var/run/docker.sock, log in $DOCKERD_LOG) unless one is already starting, and waits up to
#     $DOCKER_SETUP_TIMEOUT seconds (60) for `docker info`. Exits non-zero with the tail of the log when the engine never answers.
#
# Run it (`bash .ci/docker-setup.sh`) or source it (`. .ci/docker-setup.sh`): it changes nothing in the calling shell either way
# (no `set -e`, no variables), and returns its status. Idempotent: a second run finds the engine and does nothing.
# Non-root users need passwordless sudo for the install and start steps (GitHub's runners have it).

ultra_create_docker_setup() (
  set -uo pipefail
  local_log=${DOCKERD_LOG:-/var/log/ultra-create-dockerd.log}
  timeout_s=${DOCKER_SETUP_TIMEOUT:-60}
  socket=/var/run/docker.sock

  say() { echo "docker-setup: $*"; }
  as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
    else say "need root (or passwordless sudo) for: $*" >&2; return 1
    fi
  }
  engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
  static_busybox() {
    local bb out
    for bb in /bin/busybox /usr/bin/busybox; do
      [ -x "$bb" ] || continue
      out=$(LC_ALL=C ldd "$bb" 2>&1 || true)
      case $out in *'not a dynamic executable'* | *'statically linked'*) return 0 ;; esac
    done
    return 1
  }
  apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
      say "apt-get is not available: install $* yourself" >&2
      return 1
    fi
    say "installing $* (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >/dev/null || return 1
  }
  ensure_busybox() {
    if static_busybox; then return 0; fi
    apt_install busybox-static || { say "could not install busybox-static" >&2; return 1; }
    static_busybox || { say "busybox-static installed, but no static busybox in /bin or /usr/bin" >&2; return 1; }
    say "busybox-static installed"
  }

  if engine_answers; then
    say "a Docker engine answers ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null)): nothing to start"
    ensure_busybox
    return
  fi

  # An engine that exists but refuses us is not ours to restart.
  refusal=$( { docker info 2>&1 || true; } | tr 'A-Z' 'a-z')
  if [ -S "$socket" ] && case $refusal in *'permission denied'*) true ;; *) false ;; esac; then
    say "the engine at $socket refuses this user (permission denied): add it to the docker group or run as root" >&2
    return 1
  fi

  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    apt_install docker.io busybox-static || { say "could not install docker.io" >&2; return 1; }
    say "docker.io installed ($(dockerd --version 2>/dev/null))"
  fi
  ensure_busybox || return 1

  # A dockerd that is still starting (pid file with a live process): wait for it instead of starting a second one.
  pid=$(cat "${DOCKERD_PIDFILE:-/var/run/docker.pid}" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "dockerd (pid $pid) is already running: waiting for it"
  else
    as_root mkdir -p "$(dirname "$local_log")" 2>/dev/null || true
    if ! as_root touch "$local_log" 2>/dev/null; then local_log=${TMPDIR:-/tmp}/ultra-create-dockerd.log; fi
    say "starting dockerd in the background (log: $local_log)"
    # nohup + setsid: the engine outlives this script and the CI step's shell.
    as_root sh -c "nohup setsid dockerd --host=unix://$socket >>'$local_log' 2>&1 </dev/null &" || {
      say "could not start dockerd" >&2
      return 1
    }
  fi

  waited=0
  while [ "$waited" -lt "$timeout_s" ]; do
    if engine_answers; then
      say "the engine answers after ${waited}s ($(docker version --format 'server {{.Server.Version}}' 2>/dev/null))"
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "no Docker engine answered within ${timeout_s}s; last lines of $local_log:" >&2
  as_root tail -n 40 "$local_log" >&2 2>/dev/null || true
  return 1
)

if (return 0 2>/dev/null); then
  ultra_create_docker_setup
else
  ultra_create_docker_setup
  exit $?
fi

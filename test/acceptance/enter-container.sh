#!/bin/sh
# Runs a command the way the n8n container would see this machine: files at their container paths, as the
# container's user. Started as root inside a private mount namespace (unshare --mount --propagation private),
# so every mount below vanishes with the process and the host's folders stay untouched.
#
#   enter-container.sh SCRATCH UID GID [ro|rw SOURCE TARGET]... -- COMMAND [ARG]...
#
# Each SOURCE (file or folder) is bind-mounted at TARGET keeping its owner and mode, as Compose does for
# secrets and bind mounts: a file uid UID cannot read fails here as it would in Docker. Missing parent
# folders (/run/secrets, /opt/custom-certificates, /home/node) are made on a tmpfs laid over their nearest
# existing parent, which keeps everything that parent held (bind-mounted back into the tmpfs).
# SCRATCH is a folder of the caller's for the tmpfs mount points. The environment passes through unchanged.
set -eu

scratch=$1 uid=$2 gid=$3
shift 3

# Folders this namespace may write into: tmpfs copies and the folders made inside them.
ours=' '
is_ours() { case "$ours" in *" $1 "*) return 0 ;; esac; return 1; }

shadow() {
  dir=$1
  copy=$(mktemp -d "$scratch/shadow.XXXXXX")
  mount -t tmpfs -o "mode=$(stat -c %a "$dir"),uid=$(stat -c %u "$dir"),gid=$(stat -c %g "$dir")" tmpfs "$copy"
  for entry in "$dir"/* "$dir"/.[!.]* "$dir"/..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    name=${entry##*/}
    if [ -L "$entry" ]; then
      ln -s "$(readlink "$entry")" "$copy/$name"
    elif [ -d "$entry" ]; then
      mkdir "$copy/$name"
      mount --rbind "$entry" "$copy/$name"
    else
      : >"$copy/$name"
      mount --bind "$entry" "$copy/$name"
    fi
  done
  mount --move "$copy" "$dir"
  ours="$ours$dir "
}

# A folder at $1 that may receive new entries.
writable_dir() {
  is_ours "$1" && return 0
  if [ -d "$1" ]; then
    shadow "$1"
  else
    writable_dir "$(dirname "$1")"
    mkdir "$1"
    ours="$ours$1 "
  fi
}

mount_at() {
  mode=$1 source=$2 target=$3
  if [ ! -e "$target" ]; then
    writable_dir "$(dirname "$target")"
    if [ -d "$source" ]; then mkdir -p "$target"; else : >"$target"; fi
  fi
  mount --bind "$source" "$target"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$target"; fi
}

while [ "$1" != -- ]; do
  mount_at "$1" "$2" "$3"
  shift 3
done
shift

# --pdeathsig: if the test process dies without cleaning up (killed on a timeout), the command dies with it.
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --pdeathsig KILL -- "$@"

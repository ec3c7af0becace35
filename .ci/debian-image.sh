#!/usr/bin/env bash
# Builds the local test image ota-test/debian:1 without any image registry: a minimal Debian (or
# Ubuntu) root filesystem made by `debootstrap --variant=minbase` from the machine's own apt
# mirror, imported with `docker import`. ITs install real packages (e.g. jq) in it through apt.
#
# The suite and the mirror are read from this machine's apt configuration at run time and held in
# shell variables only; no file of the repo names them. The image's own apt sources name the
# mirror, since apt inside it must work.
#
# Idempotent and cached: does nothing when the image exists; otherwise imports a cached root
# filesystem tarball (under $OTA_CI_CACHE, default /var/cache/ota-ci) when one was built before
# from the same sources, and only then runs debootstrap. Needs root and a Docker engine.
set -euo pipefail

IMAGE="${1:-ota-test/debian:1}"
CACHE_DIR="${OTA_CI_CACHE:-/var/cache/ota-ci}"

say() { echo "== debian-image: $*"; }
die() { echo "debian-image: $*" >&2; exit 1; }

have_image() { docker image inspect "$IMAGE" >/dev/null 2>&1; }

if have_image; then
  say "$IMAGE already exists; nothing to do"
  exit 0
fi

mkdir -p "$CACHE_DIR"
# One build at a time on this machine; a run that waited finds the image the other one built.
exec 9>"$CACHE_DIR/debian-image.lock"
flock 9
if have_image; then
  say "$IMAGE already exists (built meanwhile); nothing to do"
  exit 0
fi

# --- the machine's suite and mirror ---------------------------------------------------------------

# shellcheck disable=SC1091
CODENAME="$( . /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-${UBUNTU_CODENAME:-}}" || true)"

# Prints one line per enabled binary ("deb") source: URI SUITE COMPONENT... from the one-line
# format (sources.list, sources.list.d/*.list) and the deb822 format (sources.list.d/*.sources).
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '
      { sub(/#.*/, "") }
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if (i + 1 > NF) next
        line = $i " " $(i + 1)
        for (j = i + 2; j <= NF; j++) line = line " " $j
        print line
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush(   nu, ns, u, s, i, j) {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && uris != "" && suites != "") {
          nu = split(uris, u, " "); ns = split(suites, s, " ")
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j], comps
        }
        types = uris = suites = comps = last = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v); field[last] = field[last] " " v; assign(); next }
      {
        k = $0; sub(/:.*/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v); gsub(/[ \t]+$/, "", v)
        last = tolower(k); field[last] = v; assign()
      }
      function assign() {
        if (last == "types") types = field[last]
        else if (last == "uris") uris = field[last]
        else if (last == "suites") suites = field[last]
        else if (last == "components") comps = field[last]
        else if (last == "enabled") enabled = field[last]
      }
      END { flush() }' "$f"
  done
}

SOURCES="$(apt_sources | awk '$1 ~ /^(https?|ftp):\/\//' || true)"
[ -n "$SOURCES" ] || die "no http(s) deb source in this machine's apt configuration"

if [ -z "$CODENAME" ]; then
  # No codename in /etc/os-release: take the first plain suite (no -updates/-security suffix).
  CODENAME="$(echo "$SOURCES" | awk '$2 !~ /[-\/]/ { print $2; exit }')"
fi
[ -n "$CODENAME" ] || die "could not tell this machine's suite from /etc/os-release or its apt sources"

MAIN_LINE="$(echo "$SOURCES" | awk -v s="$CODENAME" '$2 == s { print; exit }')"
[ -n "$MAIN_LINE" ] || die "no apt source for suite '$CODENAME' in this machine's apt configuration"
MIRROR="$(echo "$MAIN_LINE" | awk '{ print $1 }')"
COMPONENTS="$(echo "$MAIN_LINE" | awk '{ c = $3; for (i = 4; i <= NF; i++) c = c "," $i; print c }')"
COMPONENTS="${COMPONENTS:-main}"
# The image gets this machine's sources for the same release (suite, -updates, -security ...).
IMAGE_SOURCES="$(echo "$SOURCES" | awk -v s="$CODENAME" '$2 == s || index($2, s "-") == 1 || index($2, s "/") == 1 { print "deb " $0 }' | awk '!seen[$0]++')"
ARCH="$(dpkg --print-architecture)"

# Settings of this machine's apt that the image's apt needs to reach the same mirror (a snapshot
# mirror serves Release files past their Valid-Until date).
APT_CONF="$(apt-config dump 2>/dev/null | grep -E '^Acquire::Check-(Valid-Until|Date) ' || true)"

# The cache key names neither the mirror nor anything else of the machine: a hash of the inputs.
KEY="$(printf '%s\n%s\n%s\n%s\n' "$CODENAME" "$ARCH" "$IMAGE_SOURCES" "$APT_CONF" | sha256sum | cut -c1-16)"
TARBALL="$CACHE_DIR/debian-$CODENAME-$ARCH-$KEY.tar"

import_tarball() {
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    - "$IMAGE" <"$TARBALL" >/dev/null
}

if [ -s "$TARBALL" ]; then
  say "importing cached root filesystem for $CODENAME/$ARCH ($(du -h "$TARBALL" | cut -f1))"
  import_tarball
  say "imported $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
  exit 0
fi

# --- debootstrap ----------------------------------------------------------------------------------

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  apt-get update -q >/dev/null
  apt-get install -y -q debootstrap >/dev/null || die "could not install debootstrap with apt-get"
fi

WORK="$(mktemp -d -t ota-debian-image.XXXXXX)"
ROOT="$WORK/rootfs"
cleanup() {
  # debootstrap mounts proc/sys in the target; never delete through a mount.
  if [ -d "$ROOT" ]; then
    awk -v r="$ROOT" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done
  fi
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

INCLUDE=()
case "$MIRROR" in https://*) INCLUDE=(--include=ca-certificates) ;; esac

say "debootstrap --variant=minbase $CODENAME ($ARCH, components $COMPONENTS) from this machine's apt mirror"
start=$SECONDS
if ! debootstrap --variant=minbase --arch="$ARCH" --components="$COMPONENTS" "${INCLUDE[@]}" \
      "$CODENAME" "$ROOT" "$MIRROR" >"$WORK/debootstrap.out" 2>&1; then
  echo "debian-image: debootstrap failed; last lines of its output and log:" >&2
  tail -n 30 "$WORK/debootstrap.out" >&2 || true
  [ -f "$ROOT/debootstrap/debootstrap.log" ] && tail -n 30 "$ROOT/debootstrap/debootstrap.log" >&2
  exit 1
fi
say "debootstrap done in $((SECONDS - start)) s"

say "configuring apt and trimming the root filesystem"
printf '%s\n' "$IMAGE_SOURCES" >"$ROOT/etc/apt/sources.list"
rm -f "$ROOT"/etc/apt/sources.list.d/*
if [ -n "$APT_CONF" ]; then
  printf '%s\n' "$APT_CONF" >"$ROOT/etc/apt/apt.conf.d/99ota-test-mirror"
fi
# Docker provides these at run time; do not carry the build machine's copies.
: >"$ROOT/etc/resolv.conf"
: >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
# Small, but apt keeps working: `apt-get update` refills the lists.
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/cache/debconf/*-old \
       "$ROOT"/var/log/*.log "$ROOT"/var/log/apt/* "$ROOT"/debootstrap \
       "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*
mkdir -p "$ROOT/var/lib/apt/lists/partial" "$ROOT/var/cache/apt/archives/partial"

say "packing the root filesystem into the cache"
tar --numeric-owner -C "$ROOT" -cf "$TARBALL.partial" .
mv "$TARBALL.partial" "$TARBALL"
# Older tarballs of other inputs are of no use any more.
find "$CACHE_DIR" -maxdepth 1 -name 'debian-*.tar' ! -path "$TARBALL" -delete

say "docker import -> $IMAGE"
import_tarball
say "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')) in $((SECONDS - start)) s"

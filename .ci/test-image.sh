#!/usr/bin/env bash
# Builds the local test image ota-test/busybox:1 without any registry: a root filesystem made of
# Debian's statically linked busybox (sh, httpd, nc, wget, awk, setsid ...), imported with
# `docker import`. Idempotent: does nothing when the image exists.
set -euo pipefail

IMAGE="${1:-ota-test/busybox:1}"
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
BUSYBOX="$(command -v busybox || true)"
if [ -z "$BUSYBOX" ] || ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked'; then
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && "$candidate" --list >/dev/null 2>&1; then BUSYBOX="$candidate"; fi
  done
fi
if [ -z "$BUSYBOX" ]; then
  echo "busybox not found: install Debian's busybox-static package" >&2
  exit 1
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root"
chmod 1777 "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
echo "built $IMAGE from $BUSYBOX"

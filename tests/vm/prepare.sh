#!/usr/bin/env bash
# Prepares what tests/vm/run.sh boots: Debian 12's stock kernel (this machine's kernel has no
# IPVS) and a small busybox initramfs that loads IPVS and friends, mounts the host's root over
# 9p and runs one command in it. The host's root is mounted with cache=loose: it is read-only
# for the VM and does not change during a run, and caching it makes starting programs from it
# about ten times faster (the whole IPVS suite: 85 s without, 8 s with).
#
# Cached in $VIGIL_VM_CACHE (default /var/cache/vigil-vm): when the cache was built by this
# very script (its hash is the stamp), nothing is downloaded or rebuilt and this takes
# milliseconds. Prints the cache directory on success.
#
# Exit codes: 0 ready, 77 cannot prepare here (not root, no apt, no network), 1 broken.
set -euo pipefail

cache="${VIGIL_VM_CACHE:-/var/cache/vigil-vm}"
script="$(readlink -f "${BASH_SOURCE[0]}")"
stamp="$(sha256sum "$script" | cut -d' ' -f1)"

if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp" ] &&
   [ -f "$cache/vmlinuz" ] && [ -f "$cache/initrd.gz" ]; then
    echo "$cache"
    exit 0
fi

log() { echo "vm/prepare: $*" >&2; }
skip() { log "$*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root to install packages and build $cache"

# One builder at a time (ctest may start several VM tests at once); whoever waited finds the
# cache ready.
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp" ] &&
   [ -f "$cache/vmlinuz" ] && [ -f "$cache/initrd.gz" ]; then
    echo "$cache"
    exit 0
fi
command -v apt-get >/dev/null || skip "needs apt-get (Debian 12)"

packages=(qemu-system-x86 busybox-static cpio kmod ipvsadm)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || skip "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
        skip "cannot install ${missing[*]}"
fi

# The stock flavour: the -cloud kernel has no 9p.
kernel_pkg() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1; }
pkg="$(kernel_pkg)"
if [ -z "$pkg" ]; then
    apt-get update -q >&2 || skip "apt-get update failed"
    pkg="$(kernel_pkg)"
fi
[ -n "$pkg" ] || skip "apt knows no linux-image-amd64"
kver="${pkg#linux-image-}"
log "kernel $kver"

work="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# apt's _apt user must be able to write where it downloads.
chmod 755 "$work"
(cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) || skip "cannot download $pkg"
dpkg -x "$work"/linux-image-*.deb "$work/kernel"
moddir="$work/kernel/lib/modules/$kver"
[ -d "$moddir" ] || { log "no $moddir in $pkg"; exit 1; }
depmod -b "$work/kernel" "$kver"

# The modules the VM needs, in the order they are wanted; dependencies come first. Modules
# that are built into this kernel are fine; a missing optional one is only reported.
required=(
    virtio virtio_ring virtio_pci
    netfs fscache 9pnet 9pnet_virtio 9p
    crc32c_generic libcrc32c
    nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack
    ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh
    ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh
    veth bridge macvlan
)
optional=(ip_vs_pe_sip ipip ip6_tunnel ip_gre ip6_gre fou fou6 8021q)

declare -A path_of=() deps_of=() builtin=() loaded=()
while IFS= read -r line; do
    p="${line%%:*}"
    n="$(basename "$p" .ko)"
    n="${n//-/_}"
    path_of[$n]="$p"
    deps_of[$n]="${line#*:}"
done <"$moddir/modules.dep"
while IFS= read -r p; do
    n="$(basename "$p" .ko)"
    builtin[${n//-/_}]=1
done <"$moddir/modules.builtin"

order=()
# modules.dep lists every transitive dependency; visiting them first gives a loadable order.
visit() {
    local n="${1//-/_}" d
    [ -n "${loaded[$n]:-}" ] && return 0
    if [ -z "${path_of[$n]:-}" ]; then
        [ -n "${builtin[$n]:-}" ] && return 0
        return 1
    fi
    loaded[$n]=1
    for d in ${deps_of[$n]}; do
        visit "$(basename "$d" .ko)" || { log "$n needs $d, which is missing"; exit 1; }
    done
    order+=("${path_of[$n]}")
}
for m in "${required[@]}"; do
    visit "$m" || { log "module $m is missing from $pkg"; exit 1; }
done
for m in "${optional[@]}"; do
    visit "$m" || log "optional module $m is missing from $pkg"
done

# The initramfs: busybox, the modules (with a depmod of their own, so that modprobe inside
# the VM finds them), the load order and /init.
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,host,lib/modules/"$kver"}
cp /bin/busybox "$root/bin/busybox"
for p in "${order[@]}"; do
    mkdir -p "$root/lib/modules/$kver/$(dirname "$p")"
    cp "$moddir/$p" "$root/lib/modules/$kver/$p"
    echo "$p"
done >"$root/lib/modules/$kver/load-order"
cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"

cat >"$root/init" <<'INIT'
#!/bin/busybox sh
# PID 1 of the test VM: load the modules, mount the host's root read-only over 9p with fresh
# /proc /sys /dev /tmp /run, chroot into it, run the command that run.sh wrote into the
# writable share, record its exit status there and power off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
kver="$(uname -r)"
while read -r m; do
    insmod "/lib/modules/$kver/$m" || echo "vm/init: insmod $m failed"
done <"/lib/modules/$kver/load-order"
fail() { echo "vm/init: $*"; poweroff -f; }
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose host /host || fail "cannot mount the host's root"
for d in proc sys dev; do mount --bind "/$d" "/host/$d" || fail "cannot bind /$d"; done
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm
# The host's own /tmp, /run and /var/tmp stay reachable under /orig, so that a directory the
# command needs there (a repository cloned under /tmp) can be put back in place below.
for d in tmp run var/tmp; do
    mkdir -p "/orig/$d" && mount --bind "/host/$d" "/orig/$d"
    mount -t tmpfs -o mode=1777 tmpfs "/host/$d" || fail "cannot mount /$d"
done
# The VM's kernel modules replace the host's, so that modprobe (ipvsadm calls it) finds them;
# a host without /lib/modules (a container) cannot have it created on a read-only mount, and
# every module is loaded already anyway.
if [ -d /host/lib/modules ]; then
    mount -t tmpfs tmpfs /host/lib/modules && mkdir "/host/lib/modules/$kver" &&
        mount --bind "/lib/modules/$kver" "/host/lib/modules/$kver"
fi
mkdir -p /host/run/vigil-vm
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 vigilio /host/run/vigil-vm || fail "cannot mount the results share"
# run.sh lists host directories under /tmp, /run or /var/tmp that the command uses: bind
# them (read-only, like the rest of the host) over the fresh tmpfs at the same paths.
if [ -f /host/run/vigil-vm/binds ]; then
    while read -r p; do
        mkdir -p "/host$p" && mount --bind "/orig$p" "/host$p" || echo "vm/init: cannot bind $p"
    done </host/run/vigil-vm/binds
fi
ip link set lo up
hostname vigil-vm
echo "vm/init: running" >/host/run/vigil-vm/booted
chroot /host /bin/bash /run/vigil-vm/command.sh >/host/run/vigil-vm/output 2>&1 </dev/null
echo "$?" >/host/run/vigil-vm/status
sync
umount /host/run/vigil-vm
poweroff -f
INIT
chmod 755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$work/initrd.gz"
rm -f "$cache/stamp"
mv "$work/initrd.gz" "$cache/initrd.gz"
cp "$work/kernel/boot/vmlinuz-$kver" "$cache/vmlinuz"
echo "$kver" >"$cache/kernel-version"
echo "$stamp" >"$cache/stamp"
log "ready: $cache (kernel $kver, ${#order[@]} modules)"
echo "$cache"

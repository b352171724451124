#!/usr/bin/env bash
# tests/vm/run.sh CMD [ARG...]
#
# Runs CMD as root inside a qemu VM that boots Debian 12's stock kernel (with IPVS), over this
# machine's own root file system (read-only, fresh /tmp /run /var/tmp), in the current
# directory and with the current environment. Prints CMD's output as it runs and exits with
# CMD's exit status.
#
#   VIGIL_VM_CACHE     kernel + initramfs cache (default /var/cache/vigil-vm, see prepare.sh)
#   VIGIL_VM_TIMEOUT   seconds before the VM is killed (default 600; exit 124)
#   VIGIL_VM_VERBOSE=1 also print the VM's console (kernel and init messages)
#   VIGIL_VM_KVM=1     use KVM instead of TCG
#   VIGIL_VM_REQUIRED=1 turn "cannot run a VM here" (77) into a failure (1)
#
# Exit codes: CMD's status; 77 when no VM can run here; 124 on timeout; 1 when the VM failed.
set -uo pipefail

here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
skip() {
    echo "vm/run: $*" >&2
    if [ "${VIGIL_VM_REQUIRED:-0}" = 1 ]; then exit 1; fi
    exit 77
}
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }

cache="$("$here/prepare.sh")"
rc=$?
case $rc in
    0) ;;
    77) skip "cannot prepare the VM here" ;;
    *) echo "vm/run: prepare.sh failed ($rc)" >&2; exit 1 ;;
esac
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"

io="$(mktemp -d /tmp/vigil-vm.XXXXXX)"
mkdir "$io/share"
qemu_pid=""
cleanup() {
    [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
    rm -rf "$io"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The command, its directory and its environment, as a bash script the VM runs in the chroot.
{
    echo "# written by tests/vm/run.sh"
    while IFS= read -r name; do
        case "$name" in
            PWD | OLDPWD | SHLVL | _ | BASH_* | TMPDIR) continue ;;
        esac
        printf 'export %s=%q\n' "$name" "${!name}"
    done < <(compgen -e)
    printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
    printf 'exec'
    printf ' %q' "$@"
    printf '\n'
} >"$io/share/command.sh"

# The VM gets fresh /tmp, /run and /var/tmp: the repository and the working directory, when
# they live there (a CI clone under /tmp), are bound back in place by the VM's init.
repo="$(readlink -f "$here/../..")"
for p in "$repo" "$PWD"; do
    case "$p" in
        /tmp/* | /run/* | /var/tmp/*) echo "$p" ;;
    esac
done | sort -u >"$io/share/binds"

# TCG by default: it works everywhere, nested KVM does not (qemu 7.2 aborts on an MSR here).
accel=(-accel tcg -cpu max)
if [ "${VIGIL_VM_KVM:-0}" = 1 ]; then accel=(-accel kvm -cpu host); fi

timeout --foreground -k 5 "${VIGIL_VM_TIMEOUT:-600}" \
    qemu-system-x86_64 "${accel[@]}" -smp 2 -m 1024 \
    -display none -monitor none -serial "file:$io/console" -no-reboot -nic none \
    -kernel "$cache/vmlinuz" -initrd "$cache/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$io/share,mount_tag=vigilio,security_model=none,multidevs=remap" \
    </dev/null >"$io/qemu.log" 2>&1 &
qemu_pid=$!

# Stream CMD's output while the VM runs (the guest writes it through 9p).
tail -F -n +1 -s 0.2 --pid="$qemu_pid" "$io/share/output" 2>/dev/null &
tail_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=""
wait "$tail_pid"

if [ "${VIGIL_VM_VERBOSE:-0}" = 1 ]; then
    echo "---- vm console ----" >&2
    cat "$io/console" >&2
fi
if [ -f "$io/share/status" ]; then
    exit "$(cat "$io/share/status")"
fi
if [ "$qemu_rc" -eq 124 ]; then
    echo "vm/run: timed out after ${VIGIL_VM_TIMEOUT:-600} s" >&2
else
    echo "vm/run: the VM stopped without a result (qemu exit $qemu_rc)" >&2
fi
cat "$io/qemu.log" >&2
tail -n 40 "$io/console" >&2 2>/dev/null
[ "$qemu_rc" -eq 124 ] && exit 124
exit 1

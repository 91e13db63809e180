#!/usr/bin/env bash
# The QEMU tier (docs/vm-tier.md): boots Debian's kernel with systemd as PID 1 under QEMU (TCG; no
# KVM needed), installs this checkout's Debian package in the guest, runs the guest tests in
# scripts/vm/guest/tests against simulated hardware the real kernel provides (gpio-sim, uinput, uhid,
# snd-aloop, a configfs USB gadget on dummy_hcd), and writes the results as JUnit XML and a summary.
#
#   scripts/vm-test.sh                    # every guest test, one boot
#   scripts/vm-test.sh --only gpio        # the tests whose file or function name contains "gpio"
#   scripts/vm-test.sh --keep             # keep the run folder (console log, share) for a look
#   scripts/vm-test.sh --deb FILE         # install FILE instead of packaging .build/debug's binaries
#
# Exit status: 0 when every guest test passed; 1 when one failed; 2 when the guest did not boot,
# hung, or reported nothing. The guest's pieces are cached by content hash in $CHECKPOINT_VM_CACHE
# (default ~/.cache/checkpoint-vm) and rebuilt when missing (about 2 minutes, needs the Debian mirror).
# Needs root (debootstrap, chroot) and the debug binaries built (`swift build`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ONLY=""
KEEP=0
DEB=""
TIMEOUT=${CHECKPOINT_VM_TIMEOUT:-1200}
while (($#)); do
  case "$1" in
    --only) ONLY=$2; shift ;;
    --keep) KEEP=1 ;;
    --deb) DEB=$(readlink -f "$2"); shift ;;
    --timeout) TIMEOUT=$2; shift ;;
    *) echo "vm-test: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done
for tool in qemu-system-x86_64 qemu-img debootstrap mke2fs; do
  command -v "$tool" >/dev/null || { echo "vm-test: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "vm-test: needs root (debootstrap, chroot, 9p with security_model=none)" >&2; exit 2; }

CACHE=${CHECKPOINT_VM_CACHE:-$HOME/.cache/checkpoint-vm}
OUT=$ROOT/.build/vm-test
mkdir -p "$CACHE" "$OUT"
# shellcheck source=vm/image.sh
. scripts/vm/image.sh
start=$(date +%s)
log() { printf 'vm-test: [%3ss] %s\n' "$(($(date +%s) - start))" "$*"; }

# --- the cached guest pieces --------------------------------------------------------------------
# Each piece's hash covers the function that builds it, so a change to one rebuilds only that one.
kernel_resolve
KDIR=$CACHE/kernel-$( { echo "$KPKG $KDEBVER"; declare -f kernel_build; } | sha256sum | cut -c1-16)
if [ ! -d "$KDIR" ]; then
  log "building the kernel pieces ($KPKG $KDEBVER, gpio-sim) into $KDIR"
  kernel_build "$KDIR"
fi
runtime=$(swift_runtime_dir)
RDIR=$CACHE/root-$( { echo "$KDIR ${CHECKPOINT_VM_MIRROR:-} ${GUEST_PACKAGES[*]}"; declare -f root_build; ls -l --time-style=+%s "$runtime"/*.so; } | sha256sum | cut -c1-16)
if [ ! -d "$RDIR" ]; then
  log "building the guest root into $RDIR"
  root_build "$RDIR" "$KDIR"
fi

# --- this run: the package, the guest tests, an overlay over the cached root ----------------------
RUN=$OUT/run
rm -rf "$RUN"
mkdir -p "$RUN/share/results"
if [ -z "$DEB" ]; then
  log "packaging the debug binaries"
  DEB=$(scripts/build-deb.sh --debug-binaries --out "$RUN" | tail -1)
fi
cp "$DEB" "$RUN/share/checkpoint.deb"
cp -r scripts/vm/guest "$RUN/share/guest"
printf '%s\n' "$ONLY" > "$RUN/share/only"
qemu-img create -q -f qcow2 -b "$RDIR/root.raw" -F raw "$RUN/root.qcow2"
log "booting $(cat "$KDIR/kver") under QEMU (TCG); console: $RUN/console.log"
boot_rc=0
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1536 \
  -kernel "$KDIR/vmlinuz" -initrd "$RDIR/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=0" \
  -drive file="$RUN/root.qcow2",format=qcow2,if=virtio,cache=unsafe \
  -virtfs local,path="$RUN/share",mount_tag=host0,security_model=none,id=host0 \
  -device i6300esb -watchdog-action poweroff \
  -nic none -display none -monitor none -serial file:"$RUN/console.log" -no-reboot || boot_rc=$?
log "the guest is off (QEMU status $boot_rc)"

# --- results --------------------------------------------------------------------------------------
# QEMU exits 0 even when the watchdog powered a hung guest off: only the guest's own rc file counts.
status=0
python3 scripts/vm/report.py "$RUN/share/results" "$OUT/junit.xml" "$OUT/summary.txt" || status=$?
cat "$OUT/summary.txt"
if [ ! -f "$RUN/share/results/rc" ]; then
  echo "vm-test: the guest reported nothing (did not boot, hung, or was stopped by the host timeout of ${TIMEOUT}s); the console's end:" >&2
  tail -40 "$RUN/console.log" >&2 || true
  status=2
fi
log "JUnit XML: $OUT/junit.xml"
if ((KEEP)); then log "kept $RUN"; else rm -f "$RUN/root.qcow2" "$RUN/share/checkpoint.deb" "$RUN"/*.deb; fi
exit "$status"

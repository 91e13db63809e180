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
#   scripts/vm-test.sh --power-cuts N     # N power cuts after the tests (default 2; 0: none)
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
CUTS=${CHECKPOINT_VM_POWER_CUTS:-2}
while (($#)); do
  case "$1" in
    --only) ONLY=$2; shift ;;
    --keep) KEEP=1 ;;
    --deb) DEB=$(readlink -f "$2"); shift ;;
    --timeout) TIMEOUT=$2; shift ;;
    --power-cuts) CUTS=$2; shift ;;
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
RDIR=$CACHE/root-$( { echo "$KDIR ${CHECKPOINT_VM_MIRROR:-} ${GUEST_PACKAGES[*]}"; declare -f root_build; stat -c "%n %s %Y" "$runtime"/*.so; } | sha256sum | cut -c1-16)
if [ ! -d "$RDIR" ]; then
  log "building the guest root into $RDIR"
  root_build "$RDIR" "$KDIR"
fi
# Pieces of earlier recipes are not used again: the cache keeps only the current ones.
for old in "$CACHE"/kernel-* "$CACHE"/root-*; do
  [ "$old" = "$KDIR" ] || [ "$old" = "$RDIR" ] || rm -rf "$old"
done

# power_cuts N: N boots killed (SIGKILL of QEMU, not a shutdown) at a random moment while the guest
# opens the gate in a loop, and one more boot that checks and lets the uplink catch up (the guest's
# side: scripts/vm/guest/powercut.sh). The central store runs here, on the host, where the cuts
# cannot reach it; afterwards it must hold every journaled seq exactly once. The overlay keeps the
# installed package; its disk cache is writeback, so the guest's flushes reach the host file.
power_cuts() {
  local cuts=$1 central=$RUN/central k pid port delay
  mkdir -p "$central"
  local BIN=$ROOT/.build/debug
  c() { "$BIN/checkpoint-central" "$@" --db "sqlite:$central/central.sqlite" 2>>"$central/cli.log"; }
  printf '{"streets": [{"id": "vm-street", "name": "VM", "communities": [{"id": "vm-community", "name": "VM", "checkpoints": [{"id": "vm-checkpoint", "name": "VM", "gates": [{"id": "vm-power-cut"}]}]}]}]}' > "$central/places.json"
  cut_fail() {
    printf 'power-cut\t%s\tfail\t0\tlogs/power-cut.host.log\n' "$1" >> "$RUN/share/results/cases.tsv"
    { echo "$1"; tail -5 "$central"/*.log; } > "$RUN/share/results/logs/power-cut.host.log" 2>&1
  }
  c places import "$central/places.json" >/dev/null || { cut_fail "the central store for the power cuts is set up"; return 0; }
  c gate register --id vm-power-cut --checkpoint vm-checkpoint | cut -d: -f2- > "$RUN/share/central.secret"
  "$BIN/checkpoint-central" serve --db "sqlite:$central/central.sqlite" --listen 127.0.0.1:0 > /dev/null 2> "$central/serve.log" &
  CENTRAL_PID=$!
  local central_pid=$CENTRAL_PID
  for _ in $(seq 100); do grep -q '"msg":"listening"' "$central/serve.log" && break; sleep 0.2; done
  port=$(grep -o '"msg":"listening".*' "$central/serve.log" | grep -o '"port":"[0-9]*"' | head -1 | tr -dc 0-9)
  [ -n "$port" ] || { cut_fail "the central store for the power cuts starts"; kill "$central_pid"; return 0; }
  echo "$port" > "$RUN/share/central-port"; echo vm-power-cut > "$RUN/share/gate-id"
  echo power-cut > "$RUN/share/mode"; echo "$cuts" > "$RUN/share/cuts"
  for ((k = 1; k <= cuts + 1; k++)); do
    echo "$k" > "$RUN/share/cycle"
    # A boot that never reached the stream leaves no such line: an empty file (the guest then
    # records that cut as failed), not an exit of this script under pipefail.
    ((k == 1)) || { grep -a -o 'CHECKPOINT-VM [A-Z]*[ 0-9]*' "$RUN/console-cut-$((k - 1)).log" || true; } | sed 's/^CHECKPOINT-VM //' > "$RUN/share/observed-$((k - 1)).txt"
    boot "$RUN/console-cut-$k.log" writeback -nic user,model=virtio-net-pci
    pid=$QEMU_PID
    if ((k <= cuts)); then
      for _ in $(seq 1500); do grep -aq 'CHECKPOINT-VM STREAM' "$RUN/console-cut-$k.log" 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if ! grep -aq 'CHECKPOINT-VM STREAM' "$RUN/console-cut-$k.log" 2>/dev/null; then
        log "power cut $k: the guest did not reach the stream within 300 s; its console's last line: $(tail -n 1 "$RUN/console-cut-$k.log" | tr -d '\r')"
      fi
      delay=$((2 + RANDOM % 6))
      log "power cut $k of $cuts: the stream runs; QEMU is killed in $delay s"
      sleep "$delay"
      kill -KILL "$(cat "$RUN/qemu.pid")" 2>/dev/null || true
      rm -f "$RUN/qemu.pid"
      wait "$pid" 2>/dev/null || true
      log "power cut $k: $(grep -ac 'CHECKPOINT-VM ACK' "$RUN/console-cut-$k.log") acknowledged, $(grep -ac 'CHECKPOINT-VM PULSE' "$RUN/console-cut-$k.log") relay pulses seen before it"
    else
      wait "$pid" || true
    fi
  done
  # Exactly once: every seq 1…last in the store, none twice.
  local last name="the central store holds every journaled entry of the power-cut runs exactly once"
  last=$(cat "$RUN/share/results/power-cut-last-seq" 2>/dev/null || echo "")
  local rows distinct
  rows=$(sqlite3 "$central/central.sqlite" "SELECT count(*) FROM entries WHERE gate = 'vm-power-cut'")
  distinct=$(sqlite3 "$central/central.sqlite" "SELECT count(DISTINCT seq) FROM entries WHERE gate = 'vm-power-cut' AND seq BETWEEN 1 AND ${last:-0}")
  printf 'journal last seq %s; the store: %s rows, %s distinct seqs in 1…last\n' "${last:-?}" "$rows" "$distinct" > "$RUN/share/results/logs/power-cut.central.log"
  if [ -n "$last" ] && ((last > 0 && rows == last && distinct == last)); then status=pass; else status=fail; fi
  printf 'power-cut\t%s\t%s\t0\tlogs/power-cut.central.log\n' "$name" "$status" >> "$RUN/share/results/cases.tsv"
  kill "$central_pid" 2>/dev/null; wait "$central_pid" 2>/dev/null || true
}

# --- this run: the package, the guest tests, an overlay over the cached root ----------------------
RUN=$OUT/run
rm -rf "$RUN"
# An interrupted run leaves no QEMU and no central store behind.
CENTRAL_PID=""
# Runs as the EXIT trap under `set -e`: a failing kill (the process is already gone — a power cut
# leaves QEMU's pidfile behind) must not turn the tier's exit status into 1.
stop_children() {
  if [ -f "$RUN/qemu.pid" ]; then kill -KILL "$(cat "$RUN/qemu.pid")" 2>/dev/null || true; fi
  if [ -n "$CENTRAL_PID" ]; then kill "$CENTRAL_PID" 2>/dev/null || true; fi
}
trap stop_children EXIT
mkdir -p "$RUN/share/results"
if [ -z "$DEB" ]; then
  log "packaging the debug binaries"
  DEB=$(scripts/build-deb.sh --debug-binaries --out "$RUN" | tail -1)
fi
cp "$DEB" "$RUN/share/checkpoint.deb"
cp -r scripts/vm/guest "$RUN/share/guest"
# The Swift test binary `swift build --build-tests` made, for the swift-tests suite (Swift tests that
# need the guest's kernel); a hard link when it can be (the same file system), else a copy.
TESTS_BIN=.build/debug/checkpointPackageTests.xctest
if [ -x "$TESTS_BIN" ]; then
  ln -f "$TESTS_BIN" "$RUN/share/checkpointPackageTests.xctest" 2>/dev/null || cp "$TESTS_BIN" "$RUN/share/checkpointPackageTests.xctest"
fi
printf '%s\n' "$ONLY" > "$RUN/share/only"
qemu-img create -q -f qcow2 -b "$RDIR/root.raw" -F raw "$RUN/root.qcow2"

# boot CONSOLE CACHE [QEMU ARGS...]: one boot of the guest on the run's overlay, in the background
# (QEMU_PID), bounded by the host timeout.
boot() {
  local console=$1 cache=$2; shift 2
  timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1536 \
    -kernel "$KDIR/vmlinuz" -initrd "$RDIR/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=0" \
    -drive file="$RUN/root.qcow2",format=qcow2,if=virtio,cache="$cache" \
    -virtfs local,path="$RUN/share",mount_tag=host0,security_model=none,id=host0 \
    -device i6300esb -watchdog-action poweroff \
    -display none -monitor none -serial file:"$console" -no-reboot -pidfile "$RUN/qemu.pid" "$@" &
  QEMU_PID=$!
}
log "booting $(cat "$KDIR/kver") under QEMU (TCG); console: $RUN/console.log"
boot_rc=0
boot "$RUN/console.log" unsafe -nic none
wait "$QEMU_PID" || boot_rc=$?
log "the guest is off (QEMU status $boot_rc)"
[ -n "$ONLY" ] && [[ power-cut != *"$ONLY"* ]] && CUTS=0
((CUTS > 0)) && power_cuts "$CUTS"

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
if ((KEEP)); then log "kept $RUN"; else rm -f "$RUN/root.qcow2" "$RUN/share/checkpoint.deb" "$RUN/share/checkpointPackageTests.xctest" "$RUN"/*.deb; fi
exit "$status"

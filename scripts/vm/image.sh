# Sourced by scripts/vm-test.sh: builds the pieces of the QEMU tier's guest, each cached under
# $CACHE by a hash of everything it is made from (this file included), and rebuilt when missing.
#
#   kernel-<hash>/  Debian's kernel (vmlinuz, config, modules) and gpio-sim.ko, built out of tree
#                   against Debian's headers from the source of the same kernel package
#   root-<hash>/    root.raw (ext4: Debian bookworm minbase + systemd + the test tools + the Swift
#                   runtime the debug binaries need) and initrd.img
#
# Only Debian packages are used: apt-get download + dpkg-deb -x for the kernel, debootstrap for the
# root. Needs root (debootstrap, chroot) and network access to the Debian mirror on a cache miss.

# Packages of the guest: systemd as PID 1 and udev; what the checkpoint package depends on; the
# tools the guest tests drive the kernel with (gpiod, python3 for uinput/uhid, alsa-utils, sqlite3).
GUEST_PACKAGES=(systemd-sysv udev kmod iproute2 initramfs-tools busybox dbus procps usbutils
  libgpiod2 gpiod libudev1 libasound2 alsa-utils libsqlite3-0 sqlite3 zlib1g python3 systemd-timesyncd
  curl ca-certificates)

# kernel_resolve: sets KPKG (e.g. linux-image-6.1.0-57-amd64), KVER (6.1.0-57-amd64) and KDEBVER
# (the package version, e.g. 6.1.192-3) from what linux-image-amd64 depends on today.
kernel_resolve() {
  KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$KPKG" ] || { echo "vm-test: cannot resolve linux-image-amd64 (apt-get update?)" >&2; return 1; }
  KVER=${KPKG#linux-image-}
  KDEBVER=$(apt-cache show "$KPKG" | awk '/^Version:/ {print $2; exit}')
}

# kernel_build DIR: downloads the kernel, its headers and the kernel source of the same version, and
# builds gpio-sim.ko. Debian's kernel has GPIOLIB and configfs but neither GPIO_SIM nor IRQ_SIM, so
# the module is linked from gpio-sim.c and irq_sim.c; irq_sim's one call of the unexported
# irq_to_desc() becomes generic_handle_irq(), which runs the same handle_simple_irq on the descriptor.
kernel_build() {
  local dir=$1 work
  work=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-vm-kernel.XXXXXX")
  rm -rf "$dir.part"
  # set -e holds inside the subshell only outside a condition: hence set +e around it, not `|| rc=$?`.
  local rc=0
  set +e
  (
    set -e
    cd "$work"
    local common headers src
    common=${KPKG/linux-image-/linux-headers-}; common=${common%-amd64}-common
    apt-get download -q "$KPKG" "${KPKG/linux-image-/linux-headers-}=$KDEBVER" "$common=$KDEBVER" \
      "linux-kbuild-${KVER%%.0-*}=$KDEBVER" "linux-source-${KVER%%.0-*}=$KDEBVER" >&2
    for deb in ./*.deb; do dpkg-deb -x "$deb" x; done
    headers=$PWD/x/usr/src/linux-headers-$KVER
    # The headers' Makefile includes the common half by its installed path: point it here.
    sed -i "s|/usr/src/|$PWD/x/usr/src/|" "$headers/Makefile"
    src=linux-source-${KVER%%.0-*}
    tar -xJf "x/usr/src/$src.tar.xz" "$src/drivers/gpio/gpio-sim.c" "$src/drivers/gpio/gpiolib.h" "$src/kernel/irq/irq_sim.c"
    mkdir m
    cp "$src/drivers/gpio/gpio-sim.c" m/gpio-sim-main.c
    cp "$src/drivers/gpio/gpiolib.h" "$src/kernel/irq/irq_sim.c" m/
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' m/irq_sim.c
    grep -q 'generic_handle_irq(irqnum)' m/irq_sim.c || { echo "vm-test: irq_sim.c changed; cannot patch it" >&2; exit 1; }
    printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > m/Kbuild
    make -s -C "$headers" M="$PWD/m" modules >&2
    mkdir -p "$dir.part/modules"
    cp "x/boot/vmlinuz-$KVER" "$dir.part/vmlinuz"
    cp "x/boot/config-$KVER" "$dir.part/config"
    cp -a "x/lib/modules/$KVER" "$dir.part/modules/"
    install -D -m 0644 m/gpio-sim.ko "$dir.part/modules/$KVER/extra/gpio-sim.ko"
    echo "$KVER" > "$dir.part/kver"
  )
  rc=$?
  set -e
  rm -rf "$work"
  ((rc == 0)) || { rm -rf "$dir.part"; return $rc; }
  mv "$dir.part" "$dir"
}

# swift_runtime_dir: the toolchain's shared runtime (the debug binaries link against it).
swift_runtime_dir() {
  local swift; swift=$(readlink -f "$(command -v swift)")
  echo "$(dirname "$swift")/../lib/swift/linux"
}

# root_build DIR KERNELDIR: debootstrap + packages + modules + Swift runtime + the runner unit,
# then initrd.img and root.raw in DIR.
root_build() {
  local dir=$1 kdir=$2 work kver mirror=${CHECKPOINT_VM_MIRROR:-http://deb.debian.org/debian}
  kver=$(cat "$kdir/kver")
  work=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-vm-root.XXXXXX")
  local r=$work/root
  cleanup_root_mounts() { for m in dev/pts dev sys proc; do umount -l "$r/$m" 2>/dev/null || true; done; }
  rm -rf "$dir.part"
  local rc=0
  set +e
  (
    set -e
    debootstrap --variant=minbase bookworm "$r" "$mirror" >&2
    mount -t proc proc "$r/proc"; mount -t sysfs sys "$r/sys"; mount --bind /dev "$r/dev"; mount --bind /dev/pts "$r/dev/pts"
    # The kernel's modules and config first: initramfs-tools' trigger looks for them.
    mkdir -p "$r/lib/modules"
    cp -a "$kdir/modules/$kver" "$r/lib/modules/"
    cp "$kdir/config" "$r/boot/config-$kver"
    printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"; chmod 0755 "$r/usr/sbin/policy-rc.d"
    chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${GUEST_PACKAGES[@]}" >&2
    chroot "$r" apt-get clean
    rm -f "$r/usr/sbin/policy-rc.d"
    chroot "$r" depmod -a "$kver"
    # The Swift runtime of this toolchain, for packages built with --debug-binaries.
    install -d "$r/usr/lib/checkpoint-swift"
    cp -L "$(swift_runtime_dir)"/*.so "$r/usr/lib/checkpoint-swift/"
    echo /usr/lib/checkpoint-swift > "$r/etc/ld.so.conf.d/checkpoint-swift.conf"
    chroot "$r" ldconfig
    # initramfs: Debian's kernel has virtio and ext4 as modules.
    sed -i 's/^MODULES=.*/MODULES=list/' "$r/etc/initramfs-tools/initramfs.conf"
    printf 'virtio_pci\nvirtio_blk\next4\n' >> "$r/etc/initramfs-tools/modules"
    chroot "$r" mkinitramfs -o /tmp/initrd.img "$kver" >&2
    mkdir -p "$dir.part"
    mv "$r/tmp/initrd.img" "$dir.part/initrd.img"
    cleanup_root_mounts

    : > "$r/etc/machine-id"
    echo checkpoint-vm > "$r/etc/hostname"
    ln -sf /dev/null "$r/etc/systemd/system/serial-getty@ttyS0.service"
    ln -sf /dev/null "$r/etc/systemd/system/getty@tty1.service"
    # No network in the guest: nothing may wait for it.
    ln -sf /dev/null "$r/etc/systemd/system/systemd-networkd-wait-online.service"
    # Guest tests decide whether the clock counts as synchronised: no NTP server is reachable anyway.
    ln -sf /dev/null "$r/etc/systemd/system/systemd-timesyncd.service"
    printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\nhost0 /mnt/host 9p trans=virtio,version=9p2000.L,msize=524288,nofail 0 0\n' > "$r/etc/fstab"
    mkdir -p "$r/mnt/host" "$r/etc/systemd/system.conf.d"
    # PID 1 arms QEMU's i6300esb: a guest that hangs is powered off. 60 s, not less: under TCG on a
    # loaded 2-core host PID 1 can miss a 15 s ping without hanging (seen at a load of 10).
    printf '[Manager]\nRuntimeWatchdogSec=60s\n' > "$r/etc/systemd/system.conf.d/watchdog.conf"
    cat > "$r/etc/systemd/system/checkpoint-vm-tests.service" <<'UNIT'
[Unit]
Description=checkpoint QEMU tier: the guest tests from the host's share
RequiresMountsFor=/mnt/host
After=multi-user.target
# Here, not in [Service]: powering off is what ends the boot either way.
SuccessAction=poweroff
FailureAction=poweroff

[Service]
Type=simple
ExecStart=/bin/bash /mnt/host/guest/runner.sh
RuntimeMaxSec=1800
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
UNIT
    ln -sf /etc/systemd/system/checkpoint-vm-tests.service "$r/etc/systemd/system/multi-user.target.wants/checkpoint-vm-tests.service"
    mke2fs -q -t ext4 -d "$r" "$dir.part/root.raw" 3G
  )
  rc=$?
  set -e
  cleanup_root_mounts
  rm -rf "$work"
  ((rc == 0)) || { rm -rf "$dir.part"; return $rc; }
  mv "$dir.part" "$dir"
}

#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian 12 machine.
# Idempotent: a second run with everything present takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # The systemd family is listed so that a half-upgraded image can install libudev-dev (its libudev1
  # must match the image's systemd packages, which apt then upgrades together).
  libpam-systemd libsystemd-shared libsystemd0 libudev1 systemd systemd-sysv libnss-systemd
  libgpiod-dev gpiod libudev-dev libasound2-dev alsa-utils libsqlite3-dev sqlite3
  postgresql postgresql-client espeak-ng sox libsox-fmt-all python3-venv pkg-config socat openssl
  curl   # scripts/run-demo.sh reads the central store's ledgers with it
  chromium chromium-driver fonts-noto-cjk   # the central store's page in a real browser (PageBrowserTests)
  lintian chrpath libseccomp2 util-linux   # the Debian package (build and test); ProtectClock stand-in (seccomp), unshare
  # The QEMU tier (scripts/vm-test.sh): QEMU, a Debian guest root, gpio-sim built against Debian's headers.
  qemu-system-x86 qemu-utils debootstrap e2fsprogs make gcc-12 libc6-dev xz-utils python3
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: apt packages missing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"
fi

# Python peers for the tests (pymodbus as an independent Modbus RTU device; openapi-spec-validator
# checks the central store's OpenAPI document; Selenium drives chromium through the page), in a project venv.
VENV=.venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pymodbus, serial, openapi_spec_validator, selenium' 2>/dev/null; then
  echo "install-deps: creating $VENV with pymodbus, openapi-spec-validator and selenium"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'pymodbus==3.16.1' 'pyserial>=3.5' \
    'openapi-spec-validator==0.7.2' 'selenium==4.38.0'
fi
echo "install-deps: ok"

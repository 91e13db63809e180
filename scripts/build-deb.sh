#!/usr/bin/env bash
# Builds the Debian package checkpoint_<version>_<arch>.deb (checkpointd, checkpointctl,
# checkpoint-central, checkpoint-sim; units, sysusers, tmpfiles, udev rules, the device catalog, an
# example /etc/checkpoint/checkpoint.toml, man pages and bash/zsh completions) with dpkg-deb. No
# network: everything comes from this checkout and its .build.
#
#   scripts/build-deb.sh                      # release build (--static-swift-stdlib), ~10 min of CPU
#   scripts/build-deb.sh --debug-binaries     # package the debug binaries already in .build (tests)
#   scripts/build-deb.sh --out DIR            # where the .deb goes (default: .build/deb)
#
# Prints the .deb's path as its last line. Packages made with --debug-binaries need this machine's
# Swift toolchain runtime (their RUNPATH is removed): for tests only, not for gates.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=release
OUT=$ROOT/.build/deb
VERSION=${CHECKPOINT_VERSION:-0.1.0}
while (($#)); do
  case "$1" in
    --debug-binaries) MODE=debug ;;
    --out) OUT=$2; shift ;;
    --version) VERSION=$2; shift ;;
    *) echo "build-deb: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done
ARCH=$(dpkg --print-architecture)
PRODUCTS=(checkpointd checkpointctl checkpoint-central checkpoint-sim)

if [ "$MODE" = release ]; then
  for p in "${PRODUCTS[@]}"; do
    swift build -c release --static-swift-stdlib --product "$p" >&2
  done
  BIN=$(swift build -c release --show-bin-path)
  DEPENDS="libc6, libstdc++6, libgcc-s1, libgpiod2, libudev1, libasound2, zlib1g, systemd"
else
  BIN=$ROOT/.build/debug
  DEPENDS="libc6, libgpiod2, libudev1, libasound2, systemd"
fi
for p in "${PRODUCTS[@]}"; do
  [ -x "$BIN/$p" ] || { echo "build-deb: $BIN/$p is missing: build it first" >&2; exit 66; }
done

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
P=$STAGE/pkg
install -d "$P/DEBIAN" "$P/usr/bin" "$P/usr/lib/systemd/system" "$P/usr/lib/sysusers.d" "$P/usr/lib/tmpfiles.d" \
  "$P/usr/lib/udev/rules.d" "$P/usr/share/checkpoint" "$P/usr/share/checkpoint-central" "$P/usr/share/doc/checkpoint" \
  "$P/usr/share/man/man1" "$P/usr/share/man/man8" "$P/usr/share/bash-completion/completions" \
  "$P/usr/share/zsh/vendor-completions" "$P/etc/checkpoint"

for p in "${PRODUCTS[@]}"; do
  install -m 0755 "$BIN/$p" "$P/usr/bin/$p"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$P/usr/bin/$p"
  # No RUNPATH (Debian policy): release binaries carry the Swift runtime statically.
  chrpath -d "$P/usr/bin/$p" >/dev/null
done
install -m 0644 systemd/checkpointd.service systemd/checkpoint-central.service "$P/usr/lib/systemd/system/"
install -m 0644 systemd/checkpoint.sysusers "$P/usr/lib/sysusers.d/checkpoint.conf"
install -m 0644 systemd/checkpoint.tmpfiles "$P/usr/lib/tmpfiles.d/checkpoint.conf"
install -m 0644 systemd/70-checkpoint.rules "$P/usr/lib/udev/rules.d/70-checkpoint.rules"
cp -r Devices "$P/usr/share/checkpoint/Devices"
install -m 0644 Sources/CentralServer/openapi.yaml "$P/usr/share/checkpoint-central/openapi.yaml"
install -m 0644 packaging/debian/checkpoint.toml "$P/etc/checkpoint/checkpoint.toml"
install -m 0644 README.md docs/*.md "$P/usr/share/doc/checkpoint/"
install -m 0644 packaging/debian/copyright "$P/usr/share/doc/checkpoint/copyright"
install -d "$P/usr/share/lintian/overrides"
install -m 0644 packaging/debian/lintian-overrides "$P/usr/share/lintian/overrides/checkpoint"
printf 'checkpoint (%s) unstable; urgency=medium\n\n  * Built from the checkpoint repository.\n\n -- checkpoint maintainers <maintainers@checkpoint.invalid>  %s\n' \
  "$VERSION" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n > "$P/usr/share/doc/checkpoint/changelog.gz"

# Man pages from each command's --help (argument-parser), completions from argument-parser itself.
manpage() {  # name section summary
  local name=$1 section=$2 summary=$3
  {
    printf '.TH %s %s "" "checkpoint %s" "checkpoint"\n.SH NAME\n%s \\- %s\n.SH DESCRIPTION\n.nf\n' \
      "$(echo "$name" | tr a-z A-Z)" "$section" "$VERSION" "$name" "$summary"
    "$BIN/$name" --help 2>&1 | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"
    printf '.fi\n.SH SEE ALSO\n/usr/share/doc/checkpoint/README.md\n'
  } | gzip -9n > "$P/usr/share/man/man$section/$name.$section.gz"
}
manpage checkpointd 8 "the checkpoint gate daemon"
manpage checkpoint-central 8 "the checkpoint central store"
manpage checkpointctl 1 "inspect and configure a checkpoint gate"
manpage checkpoint-sim 1 "simulated checkpoint devices"
for p in checkpointctl checkpoint-central checkpoint-sim checkpointd; do
  "$BIN/$p" --generate-completion-script bash > "$P/usr/share/bash-completion/completions/$p"
  "$BIN/$p" --generate-completion-script zsh > "$P/usr/share/zsh/vendor-completions/_$p"
done
chmod 0644 "$P"/usr/share/bash-completion/completions/* "$P"/usr/share/zsh/vendor-completions/*

install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$P/DEBIAN/"
echo /etc/checkpoint/checkpoint.toml > "$P/DEBIAN/conffiles"
chmod 0644 "$P/DEBIAN/conffiles"
SIZE=$(du -sk --exclude=DEBIAN "$P" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@DEPENDS@/$DEPENDS/" -e "s/@SIZE@/$SIZE/" \
  packaging/debian/control > "$P/DEBIAN/control"
(cd "$P" && find usr -type f -exec md5sum {} + > DEBIAN/md5sums)
chmod 0644 "$P/DEBIAN/md5sums" "$P/DEBIAN/control"
find "$P" -type d -exec chmod 0755 {} +

mkdir -p "$OUT"
DEB=$OUT/checkpoint_${VERSION}_${ARCH}.deb
# Debug binaries are large: fast gzip keeps the test quick (and the CPU free for other tests).
COMPRESSION=(-Zxz -z9); [ "$MODE" = debug ] && COMPRESSION=(-Zgzip -z1)
dpkg-deb --root-owner-group "${COMPRESSION[@]}" --build "$P" "$DEB" >&2
echo "$DEB"

# USB hotplug on a real USB stack: a configfs gadget with an ACM serial function on dummy_hcd plays an
# LU90614 thermometer behind a USB serial link; udev names it under /dev/checkpoint/by-port/ (the
# package's rule) and checkpointd, configured with that name, attaches, loses it on unplug
# (thermometerMissing at once) and re-attaches after replug. The lane's scanner is a uinput keyboard.
# A second gadget, a hid function, is a keyboard-wedge scanner that checkpointd finds by the catalog's
# [match] alone and follows through unplug and replug.

GADGET=/sys/kernel/config/usb_gadget/checkpoint-vm-thermo

gadget_plug() { echo dummy_udc.0 > "$GADGET/UDC"; }
gadget_unplug() { echo "" > "$GADGET/UDC"; }

# usb_gadget DIR VENDOR PRODUCT SERIAL NAME FUNCTION: a configfs gadget with one configuration and
# the function FUNCTION (e.g. acm.usb0) made but not yet in it (the caller sets the function's
# attributes, then links it); the teardown, registered here, unplugs and removes it all.
usb_gadget() {
  local dir=$1 fn=$6
  mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
  mkdir -p "$dir/strings/0x409" "$dir/configs/c.1/strings/0x409" "$dir/functions/$fn"
  echo "$2" > "$dir/idVendor"; echo "$3" > "$dir/idProduct"
  echo checkpoint-vm > "$dir/strings/0x409/manufacturer"
  echo "$5" > "$dir/strings/0x409/product"
  echo "$4" > "$dir/strings/0x409/serialnumber"
  echo "$5" > "$dir/configs/c.1/strings/0x409/configuration"
  on_exit "echo '' > $dir/UDC 2>/dev/null; rm -f $dir/configs/c.1/$fn; rmdir $dir/configs/c.1/strings/0x409 $dir/configs/c.1 $dir/functions/$fn $dir/strings/0x409 $dir"
}

# gadget_create: the gadget (vendor 1209, product 0001, serial VM-THERMO-1) with one ACM function.
gadget_create() {
  modprobe -a dummy_hcd libcomposite usb_f_acm
  usb_gadget "$GADGET" 0x1209 0x0001 VM-THERMO-1 "LU90614 on USB serial" acm.usb0
  ln -s "$GADGET/functions/acm.usb0" "$GADGET/configs/c.1/"
}

# peer_start: the LU90614 peer on the gadget's side of the link (/dev/ttyGS0), 36.6 °C.
peer_start() {
  wait_until 20 "the gadget side's /dev/ttyGS0" test -c /dev/ttyGS0
  python3 /mnt/host/guest/tools/lu90614_peer.py /dev/ttyGS0 36.6 >> /run/checkpoint-vm-peer.out 2>&1 &
  PEER=$!
  on_exit "kill $PEER 2>/dev/null"
}

# accept_policy [KEY LINE]: a [policy] table (with KEY LINE) accepting https://hc.example/ credentials.
accept_policy() { printf '[policy]\n%s\n[[policy.credentialRule]]\nprefix = "https://hc.example/"\naction = "accept"\n' "${1:-}"; }

# by_port_link: the link the package's udev rule made for the host side's ttyACM node.
by_port_link() { find /dev/checkpoint/by-port -maxdepth 1 -lname '*ttyACM*' 2>/dev/null | head -1; }

guest_test thermometer_unplug_replug 300 "A USB serial thermometer (configfs gadget on dummy_hcd) named by the udev rule is attached, missing at once on unplug (thermometerMissing) and attached again after replug"
thermometer_unplug_replug() {
  gadget_create
  gadget_plug
  wait_until 30 "udev's /dev/checkpoint/by-port link to the ttyACM node" bash -c '[ -n "$(find /dev/checkpoint/by-port -maxdepth 1 -lname "*ttyACM*" 2>/dev/null)" ]'
  link=$(by_port_link)
  echo "thermometer: $link -> $(readlink -f "$link") ($(stat -L -c '%G %a' "$link"))"
  udevadm info "$(readlink -f "$link")" | grep -E 'ID_VENDOR_ID|ID_MODEL_ID|ID_SERIAL_SHORT|ID_PATH=' || true
  peer_start
  # The scanner: a uinput keyboard (US layout, AIM ids), as in the keyboard-wedge suite.
  stdin_peer uinput_keyboard.py /run/checkpoint-vm-kbd.out /dev/input/
  { gate_config wedge-us "$PEER_NODE"; cat <<TOML
thermometer = "thermo"

[[device]]
id = "thermo"
model = "lu90614"
path = "$link"

TOML
  accept_policy 'readingWithoutScan = "ignore"'; } > /run/checkpoint-vm-hotplug.toml
  use_config /run/checkpoint-vm-hotplug.toml
  start_checkpointd
  wait_until 30 "the thermometer answers checkpointd's polls" grep -q measured /run/checkpoint-vm-peer.out
  scan() {
    peer_say /run/checkpoint-vm-kbd.out typed "us:]Q1$1 KEY_ENTER"
    expect_record_payload "$1"
  }
  last_reason() { checkpointctl journal --json --last 1 | python3 -c 'import json,sys; r=json.load(sys.stdin)["latest"][-1]; print(r["decision"], r["reason"], (r.get("temperature") or {}).get("celsius"))'; }
  scan "https://hc.example/hotplug-1"
  echo "before unplug: $(last_reason)"
  expect_eq "$(last_reason | cut -d' ' -f1)" admit "the decision with the thermometer attached"
  gadget_unplug
  wait_until 20 "the ttyACM node is gone" bash -c '[ -z "$(find /dev/checkpoint/by-port -maxdepth 1 -lname "*ttyACM*" 2>/dev/null)" ]'
  wait "$PEER" 2>/dev/null || true
  scan "https://hc.example/hotplug-2"
  echo "unplugged: $(last_reason)"
  expect_eq "$(last_reason | cut -d' ' -f1-2)" "refer thermometerMissing" "the decision while the thermometer is unplugged"
  gadget_plug
  wait_until 30 "the by-port link is back" bash -c '[ -n "$(find /dev/checkpoint/by-port -maxdepth 1 -lname "*ttyACM*" 2>/dev/null)" ]'
  expect_eq "$(by_port_link)" "$link" "the by-port name after replug"
  : > /run/checkpoint-vm-peer.out
  peer_start
  wait_until 40 "checkpointd polls the replugged thermometer" grep -q measured /run/checkpoint-vm-peer.out
  scan "https://hc.example/hotplug-3"
  echo "replugged: $(last_reason)"
  expect_eq "$(last_reason | cut -d' ' -f1)" admit "the decision after replug"
}

# A HID keyboard scanner: a configfs gadget with a hid function (boot keyboard, 8-byte reports) on
# dummy_hcd, under Honeywell's USB vendor id so that the catalog's honeywell-wedge-us [match] finds it.
SCANNER=/sys/kernel/config/usb_gadget/checkpoint-vm-scanner

scanner_create() {
  modprobe -a dummy_hcd libcomposite usb_f_hid
  usb_gadget "$SCANNER" 0x0c2e 0x0b61 VM-SCAN-1 "keyboard-wedge scanner" hid.usb0
  echo 1 > "$SCANNER/functions/hid.usb0/subclass"    # boot interface
  echo 1 > "$SCANNER/functions/hid.usb0/protocol"    # keyboard
  echo 8 > "$SCANNER/functions/hid.usb0/report_length"
  python3 /mnt/host/guest/tools/hidg_keyboard.py descriptor > "$SCANNER/functions/hid.usb0/report_desc"
  ln -s "$SCANNER/functions/hid.usb0" "$SCANNER/configs/c.1/"
}
scanner_plug() { echo dummy_udc.0 > "$SCANNER/UDC"; }
scanner_unplug() { echo "" > "$SCANNER/UDC"; }
# kbd_link: the link the package's udev rule made for the scanner keyboard's event node.
kbd_link() { find /dev/checkpoint/by-port -maxdepth 1 -name '*-event-kbd' 2>/dev/null | head -1; }
# attached_node: the node of checkpointd's newest "attached scanner scan-1" line.
attached_node() { journalctl -u checkpointd.service --no-pager -o cat | grep 'attached scanner scan-1' | tail -1 | sed 's/.* at //'; }
# scanner_port: scan-1's port in checkpointctl status (which exits non-zero while it reports a warning).
scanner_port() { { checkpointctl status --json || true; } | python3 -c 'import json,sys; print([s["port"] for s in json.load(sys.stdin)["scanners"] if s["id"] == "scan-1"][0])'; }

guest_test hid_keyboard_scanner_unplug_replug 300 "A HID keyboard scanner (configfs hid gadget) is attached by the catalog's [match], missing on unplug, attached again at its new event node on replug"
hid_keyboard_scanner_unplug_replug() {
  scanner_create
  scanner_plug
  wait_until 30 "udev's /dev/checkpoint/by-port link to the keyboard's event node" bash -c '[ -n "$(find /dev/checkpoint/by-port -maxdepth 1 -name "*-event-kbd" 2>/dev/null)" ]'
  link=$(kbd_link)
  first=$(readlink -f "$link")
  echo "scanner keyboard: $link -> $first ($(stat -L -c '%G %a' "$link"))"
  udevadm info "$first" | grep -E 'ID_VENDOR_ID|ID_MODEL_ID|ID_INPUT_KEYBOARD|ID_USB_INTERFACE_NUM|ID_PATH=' || true
  hidraw=$(find /dev/checkpoint/by-port -maxdepth 1 -name '*-hidraw' | head -1)
  [ -n "$hidraw" ] || fail "no /dev/checkpoint/by-port/*-hidraw link for the scanner's hidraw node"
  udevadm info "$(readlink -f "$hidraw")" | grep -E 'ID_VENDOR_ID|ID_USB_INTERFACE_NUM' || true
  { gate_config honeywell-wedge-us ""; echo; accept_policy 'requireTemperature = false'; } > /run/checkpoint-vm-scanner.toml
  use_config /run/checkpoint-vm-scanner.toml
  start_checkpointd
  wait_until 30 "checkpointd attached scan-1 by [match]" bash -c "journalctl -u checkpointd.service --no-pager | grep -q 'attached scanner scan-1'"
  expect_eq "$(attached_node)" "$first" "the node checkpointd attached"
  hidg() { ls /dev/hidg* | head -1; }
  # 10 ms between reports: typed at the USB polling rate, the emulated guest's checkpointd falls
  # behind and the kernel drops events (SYN_DROPPED; the scan is then rejected as incomplete).
  type_scan() {
    python3 /mnt/host/guest/tools/hidg_keyboard.py type "$(hidg)" "]Q1$1" 10
    expect_record_payload "$1"
  }
  type_scan "https://hc.example/hid-kbd-1"
  expect_eq "$(scanner_port)" open "scan-1's port before unplug"

  scanner_unplug
  wait_until 20 "checkpointd detached scan-1" bash -c "journalctl -u checkpointd.service --no-pager | grep -q 'scanner scan-1: detached'"
  expect_eq "$(scanner_port)" missing "scan-1's port while unplugged"
  checkpointctl status || true
  # Another keyboard (not Honeywell's) takes the freed event number: the scanner comes back elsewhere.
  stdin_peer uinput_keyboard.py /run/checkpoint-vm-kbd2.out /dev/input/
  scanner_plug
  wait_until 30 "checkpointd attached scan-1 again" bash -c "[ \$(journalctl -u checkpointd.service --no-pager | grep -c 'attached scanner scan-1') -ge 2 ]"
  # The node settles once udev has named it: the newest attach is at the by-port link's node.
  wait_until 30 "scan-1 attached at the by-port link's node" bash -c '[ "$(journalctl -u checkpointd.service --no-pager -o cat | grep "attached scanner scan-1" | tail -1 | sed "s/.* at //")" = "$(readlink -f "$(find /dev/checkpoint/by-port -maxdepth 1 -name "*-event-kbd" | head -1)")" ]'
  second=$(attached_node)
  echo "replugged at $second (first at $first; the other keyboard at $PEER_NODE)"
  [ "$second" != "$first" ] || fail "the replugged scanner came back at the same node $first: the rename is not tested"
  expect_eq "$(readlink -f "$(kbd_link)")" "$second" "the by-port link's node after replug"
  type_scan "https://hc.example/hid-kbd-2"
  expect_eq "$(scanner_port)" open "scan-1's port after replug"
  journalctl -u checkpointd.service --no-pager -o cat | grep 'scanner scan-1' || true
  # Attached once more than detached (a node the kernel re-makes while binding is a detach and an
  # attach more, and still right), and both scans counted.
  local counts; counts=$({ checkpointctl status --json || true; } | python3 -c 'import json,sys; s=[s for s in json.load(sys.stdin)["scanners"] if s["id"] == "scan-1"][0]; print(s["attaches"] >= 2, s["attaches"] - s["detaches"], s["scans"])')
  expect_eq "$counts" "True 1 2" "scan-1's attaches ≥ 2, attaches − detaches, and scans after replug"
}

# USB hotplug on a real USB stack: a configfs gadget with an ACM serial function on dummy_hcd plays an
# LU90614 thermometer behind a USB serial link; udev names it under /dev/checkpoint/by-port/ (the
# package's rule) and checkpointd, configured with that name, attaches, loses it on unplug
# (thermometerMissing at once) and re-attaches after replug. The lane's scanner is a uinput keyboard.

GADGET=/sys/kernel/config/usb_gadget/checkpoint-vm-thermo

gadget_plug() { echo dummy_udc.0 > "$GADGET/UDC"; }
gadget_unplug() { echo "" > "$GADGET/UDC"; }

# gadget_create: the gadget (vendor 1209, product 0001, serial VM-THERMO-1) with one ACM function.
gadget_create() {
  modprobe -a dummy_hcd libcomposite usb_f_acm
  mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
  mkdir -p "$GADGET/strings/0x409" "$GADGET/configs/c.1/strings/0x409" "$GADGET/functions/acm.usb0"
  echo 0x1209 > "$GADGET/idVendor"; echo 0x0001 > "$GADGET/idProduct"
  echo checkpoint-vm > "$GADGET/strings/0x409/manufacturer"
  echo "LU90614 on USB serial" > "$GADGET/strings/0x409/product"
  echo VM-THERMO-1 > "$GADGET/strings/0x409/serialnumber"
  echo thermometer > "$GADGET/configs/c.1/strings/0x409/configuration"
  ln -s "$GADGET/functions/acm.usb0" "$GADGET/configs/c.1/"
  on_exit "echo '' > $GADGET/UDC 2>/dev/null; rm -f $GADGET/configs/c.1/acm.usb0; rmdir $GADGET/configs/c.1/strings/0x409 $GADGET/configs/c.1 $GADGET/functions/acm.usb0 $GADGET/strings/0x409 $GADGET"
}

# peer_start: the LU90614 peer on the gadget's side of the link (/dev/ttyGS0), 36.6 °C.
peer_start() {
  wait_until 20 "the gadget side's /dev/ttyGS0" test -c /dev/ttyGS0
  python3 /mnt/host/guest/tools/lu90614_peer.py /dev/ttyGS0 36.6 >> /run/checkpoint-vm-peer.out 2>&1 &
  PEER=$!
  on_exit "kill $PEER 2>/dev/null"
}

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
  { gate_config wedge-us "$PEER_NODE"; cat <<TOML; } > /run/checkpoint-vm-hotplug.toml
thermometer = "thermo"

[[device]]
id = "thermo"
model = "lu90614"
path = "$link"

[policy]
readingWithoutScan = "ignore"
[[policy.credentialRule]]
prefix = "https://hc.example/"
action = "accept"
TOML
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

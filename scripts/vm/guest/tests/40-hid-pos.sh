# A Honeywell-style HID POS scanner made with uhid, read by checkpointd on hidraw under the
# package's unit. A uhid device is not on USB, so the package's hidraw rule (USB interface class 03)
# does not name it: the test gives the node the group that rule gives a real scanner.

guest_test multi_packet_scans 240 "A uhid HID POS scanner with a Honeywell report descriptor delivers one-packet and multi-packet scans on hidraw to checkpointd"
multi_packet_scans() {
  modprobe uhid
  stdin_peer uhid_hidpos.py /run/checkpoint-vm-uhid.out /dev/hidraw
  chgrp checkpoint "$PEER_NODE"; chmod 0660 "$PEER_NODE"
  gate_config honeywell-hidpos "$PEER_NODE" > /run/checkpoint-vm-hidpos.toml
  use_config /run/checkpoint-vm-hidpos.toml
  start_checkpointd
  wait_scanner_open
  send_scan() {
    peer_say /run/checkpoint-vm-uhid.out sent "scan ]Q1 s $1"
    expect_record_payload "$1"
  }
  send_scan "https://hc.example/hidpos-one"
  long="https://hc.example/hidpos-$(printf 'x%.0s' $(seq 1 150))-健康码"
  send_scan "$long"
  grep 'sent' /run/checkpoint-vm-uhid.out
  expect_eq "$(tail -1 /run/checkpoint-vm-uhid.out)" "sent 4" "packets of the long scan"
}

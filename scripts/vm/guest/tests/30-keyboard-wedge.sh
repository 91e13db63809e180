# A keyboard-wedge scanner made with uinput, typing into checkpointd's grabbed evdev reader under the
# package's unit; what it typed is read back from the journal's records.

# wedge_start MODEL: a uinput keyboard (tools/uinput_keyboard.py) as the scanner of the lane, catalog
# model MODEL; checkpointd started. Sets WEDGE_NODE.
wedge_start() {
  stdin_peer uinput_keyboard.py /run/checkpoint-vm-kbd.out /dev/input/
  WEDGE_NODE=$PEER_NODE
  gate_config "$1" "$WEDGE_NODE" > /run/checkpoint-vm-wedge.toml
  use_config /run/checkpoint-vm-wedge.toml
  start_checkpointd
  wait_scanner_open
}

# type_keys TOKENS...: one line for the keyboard; waits until it was typed.
type_keys() { peer_say /run/checkpoint-vm-kbd.out typed "$*"; }

guest_test us_layout_shift_caps_alt 240 "A uinput keyboard-wedge scanner on the US layout types Shift, Caps Lock and Alt+numpad characters into the grabbed reader"
us_layout_shift_caps_alt() {
  wedge_start wedge-us
  # AIM ]Q1, then a code with capitals (Shift) and an Alt+0228 (Windows-1252: ä).
  type_keys "us:]Q1https://hc.example/Vm-Shift-AZ +KEY_LEFTALT KEY_KP0 KEY_KP2 KEY_KP2 KEY_KP8 -KEY_LEFTALT KEY_ENTER"
  expect_record_payload "https://hc.example/Vm-Shift-AZä"
  # Caps Lock on: plain letter keys type capitals, digits and symbols stay as they are.
  type_keys "KEY_CAPSLOCK us:]Q1https://hc.example/capslock-42 KEY_CAPSLOCK KEY_ENTER"
  expect_record_payload "HTTPS://HC.EXAMPLE/CAPSLOCK-42"
}

guest_test german_layout 240 "A uinput keyboard-wedge scanner set to the German layout (QWERTZ: Y and Z swapped, / on Shift+7, umlauts, @ on AltGr+Q) is read as the German layout types"
german_layout() {
  wedge_start wedge-de
  # AltGr (right Alt) + Q types @ on the German layout.
  type_keys "de:https://hc.example/zyZY-grüße +KEY_RIGHTALT KEY_Q -KEY_RIGHTALT KEY_ENTER"
  expect_record_payload "https://hc.example/zyZY-grüße@"
}

guest_test grabbed_from_console 240 "While checkpointd holds the keyboard no other reader (the console included) receives its keystrokes; after stop they reach it again"
grabbed_from_console() {
  wedge_start wedge-us
  python3 /mnt/host/guest/tools/evdev_listen.py "$WEDGE_NODE" 8 > /run/checkpoint-vm-listen.txt &
  listener=$!
  wait_until 10 "the listener opened the node" grep -q grab /run/checkpoint-vm-listen.txt
  type_keys "us:]Q1https://hc.example/grabbed KEY_ENTER"
  expect_record_payload "https://hc.example/grabbed"
  wait "$listener"
  cat /run/checkpoint-vm-listen.txt
  expect_eq "$(sed -n 1p /run/checkpoint-vm-listen.txt)" "grab busy" "EVIOCGRAB by another reader while checkpointd runs"
  expect_eq "$(sed -n 2p /run/checkpoint-vm-listen.txt)" "keys 0" "key events another reader received while grabbed"
  # The control: with checkpointd stopped the same listener does receive the keys.
  systemctl stop checkpointd.service
  python3 /mnt/host/guest/tools/evdev_listen.py "$WEDGE_NODE" 8 > /run/checkpoint-vm-listen.txt &
  listener=$!
  wait_until 10 "the listener opened the node" grep -q grab /run/checkpoint-vm-listen.txt
  type_keys "us:abc KEY_ENTER"
  wait "$listener"
  cat /run/checkpoint-vm-listen.txt
  expect_eq "$(sed -n 1p /run/checkpoint-vm-listen.txt)" "grab free" "EVIOCGRAB with checkpointd stopped"
  expect_eq "$(sed -n 2p /run/checkpoint-vm-listen.txt)" "keys 8" "key events (4 keys, press and release) without the grab"
}

# Swift tests that need a real kernel, run in the guest from the host's debug test binary
# (`swift build --build-tests`; scripts/vm-test.sh puts it into the share). The guest has this
# toolchain's runtime (libTesting included) for the debug binaries.
XCTEST=/mnt/host/checkpointPackageTests.xctest

guest_test swift_gpiosim_suite 600 "The Swift suite GPIOSimTests runs against a gpio-sim chip in the guest: both tests run and pass, none skipped"
swift_gpiosim_suite() {
  [ -x "$XCTEST" ] || fail "no test binary in the share ($XCTEST): run swift build --build-tests before scripts/vm-test.sh"
  local missing; missing=$(ldd "$XCTEST" | grep 'not found' || true)
  [ -z "$missing" ] || fail "libraries the test binary needs are not in the guest: $missing"
  gpiosim_chip 2
  local out=/run/checkpoint-vm-swift-gpiosim.out rc=0
  CHECKPOINT_TEST_GPIOSIM_CHIP=$GPIOSIM_CHIP CHECKPOINT_TEST_GPIOSIM_SYSFS=$GPIOSIM_SYSFS \
    "$XCTEST" --testing-library swift-testing --filter GPIOSimTests > "$out" 2>&1 || rc=$?
  cat "$out"
  ((rc == 0)) || fail "the Swift test binary exited with status $rc"
  ! grep -q 'skipped' "$out" || fail "a GPIOSimTests test was skipped (the chip's environment did not reach it)"
  expect_eq "$(grep -c '✔ Test "' "$out")" 2 "GPIOSimTests' passed tests"
}

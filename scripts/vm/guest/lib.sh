# Helpers for the guest tests (sourced by run-one.sh). A test file declares its tests with
#   guest_test FUNCTION LIMIT_SECONDS "the behaviour, as a sentence"
# and each FUNCTION sets up its own simulated hardware, registering the teardown with on_exit.
TEST_FUNCTIONS=(); TEST_LIMITS=(); TEST_NAMES=()
guest_test() { TEST_FUNCTIONS+=("$1"); TEST_LIMITS+=("$2"); TEST_NAMES+=("$3"); }

CLEANUPS=()
on_exit() { CLEANUPS+=("$*"); }
run_cleanups() {
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" || true; done
  CLEANUPS=()
}
trap run_cleanups EXIT
trap 'exit 143' TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; echo "ok: $3 = '$1'"; }
# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local end=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < end)) || fail "$what: not within ${limit} s"
    sleep 0.1
  done
  echo "ok: $what"
}
unit_prop() { systemctl show -P "$2" "$1"; }

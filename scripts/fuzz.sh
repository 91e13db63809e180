#!/usr/bin/env bash
# Coverage-guided fuzzing of checkpoint's parsers and decoders (libFuzzer + AddressSanitizer).
#
#   scripts/fuzz.sh                      every target for 3 s (the short run of the test command)
#   scripts/fuzz.sh --seconds 600 T...   named targets (or all) for 10 minutes each
#   scripts/fuzz.sh --list               the targets
#
# Builds Fuzz/ (a separate package) into .build-fuzz with -sanitize=fuzzer,address. For each target
# it first replays Fuzz/Regressions/<target>/ (every input a fuzzer ever broke something with), then
# fuzzes from the seeds (built with the product's own encoders) and the corpus kept in
# .build-fuzz/corpus/<target>/ between runs. A finding is saved to .build-fuzz/findings/ and makes
# the script exit non-zero; fix the cause, then commit the input to Fuzz/Regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=3
targets=()
list=false
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --list) list=true; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done

scratch=.build-fuzz
# SwiftPM may keep the build plan of the root package (a path dependency here) when only its file
# list changed (a file added or moved): drop the plan so it is made again (no recompilation).
rm -f "$scratch/debug.yaml"
swift build --package-path Fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address 2>&1 \
  | grep -v "Cannot export local symbol" || { echo "fuzz: build failed" >&2; exit 1; }
fuzzer="$scratch/debug/checkpoint-fuzz"
# TOMLKit's C++ glue leaks a few bytes per key lookup (strdup'd keys never freed); leak reports
# would stop every configuration target at once, so they are off. The Swift runtime's own crash
# backtracer would run inside ASan's handler and report itself; libFuzzer prints the stack.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 SWIFT_BACKTRACE=enable=no

if $list; then "$fuzzer" --list; exit; fi
((${#targets[@]})) || mapfile -t targets < <("$fuzzer" --list | cut -f1)

rm -rf "$scratch/seeds"
"$fuzzer" --write-seeds "$scratch/seeds"
mkdir -p "$scratch/findings"
failed=()
for target in "${targets[@]}"; do
  log="$scratch/logs/$target.log"
  mkdir -p "$scratch/logs" "$scratch/corpus/$target" "$scratch/seeds/$target"
  : >"$log"
  shopt -s nullglob
  regressions=(Fuzz/Regressions/"$target"/*)
  shopt -u nullglob
  if ((${#regressions[@]})); then
    if ! "$fuzzer" "$target" "${regressions[@]}" >>"$log" 2>&1; then
      echo "fuzz: $target FAILS a regression input (see $log)"; failed+=("$target"); continue
    fi
  fi
  if "$fuzzer" "$target" -max_total_time="$seconds" -timeout="${CHECKPOINT_FUZZ_UNIT_TIMEOUT:-30}" -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$scratch/findings/$target-" "$scratch/corpus/$target" "$scratch/seeds/$target" >>"$log" 2>&1; then
    runs=$(grep -m1 -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
    cov=$(grep -E "DONE|#[0-9]+.*cov:" "$log" | tail -1 | grep -oE "cov: [0-9]+" || true)
    echo "fuzz: $target ok (${seconds}s, ${runs:-?} inputs, ${cov:-cov: ?}, ${#regressions[@]} regression inputs replayed)"
  else
    echo "fuzz: $target FOUND a problem: $(ls -t "$scratch/findings/$target-"* 2>/dev/null | head -1) (see $log)"
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then echo "fuzz: failed: ${failed[*]}" >&2; exit 1; fi
echo "fuzz: ${#targets[@]} targets ok"

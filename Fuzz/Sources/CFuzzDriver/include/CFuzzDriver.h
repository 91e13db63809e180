#ifndef CHECKPOINT_FUZZ_DRIVER_H
#define CHECKPOINT_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver with `argc`/`argv` (its usual flags and corpus directories) on
/// `LLVMFuzzerTestOneInput`, which the Swift executable defines. Returns libFuzzer's exit status.
/// Needs the executable to be linked with `-sanitize=fuzzer`.
int checkpoint_fuzz_run(int argc, char **argv);

#endif

#include "CFuzzDriver.h"

typedef int (*TestOneInput)(const uint8_t *data, size_t size);
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, TestOneInput callback);
extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int checkpoint_fuzz_run(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

/// One coverage-guided fuzz target: a parser or decoder of the product fed arbitrary bytes.
///
/// Contract for `body`: it must return normally for every input. A crash, an ASan report or a
/// failed `FuzzCheck.require` (a broken invariant of the parser's documented contract) is a
/// finding; libFuzzer saves the input that caused it.
struct FuzzTarget: Sendable {
    /// The name `scripts/fuzz.sh` and `checkpoint-fuzz` take, e.g. `thermometer-lu90614`.
    let name: String
    /// What the target feeds and which contract it checks, one line.
    let summary: String
    /// Well-formed inputs built with the product's own encoders (written to the seed corpus).
    let seeds: @Sendable () -> [[UInt8]]
    let body: @Sendable ([UInt8]) -> Void
}

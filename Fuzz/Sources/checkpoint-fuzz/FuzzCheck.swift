import Foundation

/// Invariant checks inside fuzz targets: a broken invariant aborts, which libFuzzer reports as a
/// crash and saves the input.
enum FuzzCheck {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        guard !condition else { return }
        FileHandle.standardError.write(Data("invariant broken at \(file):\(line): \(message())\n".utf8))
        abort()
    }
}

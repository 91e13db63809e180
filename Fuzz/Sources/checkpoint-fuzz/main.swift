import CFuzzDriver
import Foundation

// checkpoint-fuzz TARGET [libFuzzer flags and corpus directories…]
// checkpoint-fuzz --list                 names and summaries of the targets
// checkpoint-fuzz --write-seeds DIR      writes each target's seeds to DIR/<target>/
//
// The target may also come from CHECKPOINT_FUZZ_TARGET (libFuzzer's -fork/-jobs modes re-run the
// executable with its own arguments; the variable carries the target to those children).

let environmentKey = "CHECKPOINT_FUZZ_TARGET"
var arguments = CommandLine.arguments

/// The selected target, set once before the driver starts.
nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selected?.body(bytes)
    return 0
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("checkpoint-fuzz: \(message)\n".utf8))
    exit(2)
}

if arguments.count > 1 && arguments[1] == "--list" {
    for target in FuzzTargets.all { print("\(target.name)\t\(target.summary)") }
    exit(0)
}
if arguments.count > 2 && arguments[1] == "--write-seeds" {
    let directory = URL(fileURLWithPath: arguments[2])
    for target in FuzzTargets.all {
        let folder = directory.appendingPathComponent(target.name)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, seed) in target.seeds().enumerated() {
            try? Data(seed).write(to: folder.appendingPathComponent("seed-\(index)"))
        }
    }
    exit(0)
}

let name: String
if let fromEnvironment = ProcessInfo.processInfo.environment[environmentKey] {
    name = fromEnvironment
} else if arguments.count > 1, !arguments[1].hasPrefix("-") {
    name = arguments.remove(at: 1)
    setenv(environmentKey, name, 1)
} else {
    fail("name a target (checkpoint-fuzz --list shows them)")
}
guard let target = FuzzTargets.named(name) else { fail("no target \(name) (checkpoint-fuzz --list shows them)") }
selected = target

// libFuzzer keeps pointers into argv: the strings live until exit.
var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
exit(cArguments.withUnsafeMutableBufferPointer { checkpoint_fuzz_run(Int32(arguments.count), $0.baseAddress) })

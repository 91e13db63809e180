import Foundation
import TestSupport

/// The frames and cards built by `Peers/sam_frames.py`, an implementation of the framing written
/// independently of the Swift one (checksums, UCS-2 text, check characters computed there).
struct PythonVectors: Decodable {
    struct Card: Decodable {
        var fields: [String: String]
        var frame: String
    }
    var commands: [String: String]
    var responses: [String: String]
    var cards: [Card]
    var wrongCheckDigit: String
    var checkCharacters: [String: String]

    static func load() throws -> PythonVectors {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/sam_frames.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = [script.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw VectorError(description: "sam_frames.py exited \(process.terminationStatus)") }
        return try JSONDecoder().decode(PythonVectors.self, from: data)
    }
}

struct VectorError: Error, CustomStringConvertible { let description: String }

/// `aabb…` → bytes.
func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = hex.makeIterator()
    while let hi = chars.next(), let lo = chars.next() {
        out.append(UInt8(String([hi, lo]), radix: 16) ?? 0)
    }
    return out
}

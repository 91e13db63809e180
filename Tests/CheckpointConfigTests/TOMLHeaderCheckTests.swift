import Foundation
import Testing
@testable import CheckpointConfig

/// Table headers the TOML parser cannot take safely (found by the `config-gate` and
/// `config-catalog` fuzz targets: a debug build aborted, a release build had undefined behaviour).
@Suite("Unsafe TOML table headers")
struct TOMLHeaderCheckTests {
    private func lineOfError(_ text: String) -> Int?? {
        do {
            _ = try ConfigDocument(text: text, file: "test.toml")
            return .none
        } catch {
            return .some(error.line)
        }
    }

    @Test("A table header that starts with a comment is a syntax error on its own line")
    func headerStartingWithComment() {
        #expect(lineOfError("gate = \"gate-01\"\n[# model\n") == .some(2))
    }

    @Test("A bracket alone at the end of a line is a syntax error on that line")
    func bracketAtEndOfLine() {
        #expect(lineOfError("gate = \"gate-01\"\n\n  [\nx = 1\n") == .some(3))
    }

    @Test("An array-of-tables header whose key starts with a symbol is a syntax error")
    func arrayHeaderStartingWithSymbol() {
        #expect(lineOfError("[[=lane]]\n") == .some(1))
        #expect(lineOfError("[ [lane]]\n") != .none)
    }

    @Test("Headers with bare, quoted and dotted keys still parse")
    func validHeadersParse() {
        #expect(lineOfError("[policy]\n[\"quoted key\"]\n['literal']\n[ lane . relay ]\n[[device]]\nid = \"a\"\n") == .none)
    }

    @Test("A line starting with a bracket inside a multi-line string is text, not a header")
    func bracketInsideMultilineString() {
        #expect(lineOfError("notes = \"\"\"\n[# not a header\n\"\"\"\nliteral = '''\n[=\n'''\n") == .none)
    }

    @Test("Every input the fuzzers found for the configuration loaders is refused with an error, not a crash")
    func fuzzRegressionsAreRefused() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var replayed = 0
        for target in ["config-gate", "config-catalog"] {
            let folder = root.appendingPathComponent("Fuzz/Regressions/\(target)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                let text = String(decoding: data, as: UTF8.self)
                #expect(throws: ConfigError.self, "\(target)/\(name)") { try ConfigDocument(text: text, file: name) }
                replayed += 1
            }
        }
        #expect(replayed >= 2)
    }
}

import CentralServer
import Foundation
import Testing

@Suite("Admin tokens configured at startup")
struct AdminTokensTests {
    @Test("A token file accepts its plain and sha256 entries, ignores comments, and nothing else")
    func tokenFile() throws {
        let hashed = "hashed-token-0123456789"
        let text = "# clerks\n\nplain-token-0123456789\n\(AdminTokens.fileLine(for: hashed))\n"
        let tokens = try AdminTokens.parse(text, source: "tokens")
        #expect(tokens.count == 2)
        #expect(tokens.accepts("plain-token-0123456789"))
        #expect(tokens.accepts(hashed))
        #expect(!tokens.accepts("plain-token-012345678"))
        #expect(!tokens.accepts(""))
        #expect(!AdminTokens.none.accepts("plain-token-0123456789"))
    }

    @Test("A malformed token file is refused with file and line")
    func malformedFile() {
        #expect(throws: AdminTokens.FileError.self) { try AdminTokens.parse("ok-token-0123456789\nsha256:abc\n", source: "t") }
        do {
            _ = try AdminTokens.parse("short\n", source: "/etc/tokens")
            Issue.record("a short token was accepted")
        } catch {
            #expect("\(error)".hasPrefix("/etc/tokens:1:"))
        }
    }
}

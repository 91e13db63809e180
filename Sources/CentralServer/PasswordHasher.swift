import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt (hummingbird-auth's `Bcrypt`) for account passwords, run on NIO's thread pool so that a
/// slow hash (≈ 0.2 s at cost 12) never blocks an event loop.
public struct PasswordHasher: Sendable {
    /// bcrypt cost (log2 rounds), 4…31; 12 unless tests ask for less.
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = min(max(cost, 4), 31) }

    /// Passwords: 10…72 UTF-8 bytes (bcrypt ignores anything past 72).
    public static let lengths = 10...72

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

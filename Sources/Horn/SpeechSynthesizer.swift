import Foundation

/// Renders text to WAV with espeak-ng (`espeak-ng -v VOICE -w OUT.wav -f TEXT`), cached on disk
/// keyed by (voice, text): a phrase is synthesized once, then read from the cache.
public struct SpeechSynthesizer: Sendable {
    public var command: String
    public var cacheDirectory: String

    public init(command: String = "espeak-ng", cacheDirectory: String) {
        self.command = command
        self.cacheDirectory = cacheDirectory
    }

    /// The cache file for (voice, text): `<cache>/<voice>-<FNV-1a 64 of voice NUL text>.wav`.
    public func cachePath(voice: String, text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(voice.utf8) + [0] + Array(text.utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let safeVoice = voice.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        let hex = String(hash, radix: 16)
        return "\(cacheDirectory)/\(safeVoice)-\(String(repeating: "0", count: 16 - hex.count))\(hex).wav"
    }

    /// The path of a WAV file speaking `text`, synthesizing it if it is not cached yet.
    public func render(text: String, voice: String) throws -> String {
        let path = cachePath(voice: voice, text: text)
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { return path }
        do { try fm.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true) } catch {
            throw HornError.speech("cannot create cache directory \(cacheDirectory): \((error as NSError).localizedDescription)")
        }
        let token = UUID().uuidString.prefix(8)
        let textFile = "\(path).\(token).txt", partial = "\(path).\(token).partial"
        defer { try? fm.removeItem(atPath: textFile); try? fm.removeItem(atPath: partial) }
        guard fm.createFile(atPath: textFile, contents: Data(text.utf8)) else {
            throw HornError.speech("cannot write \(textFile)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.which(command) ?? command)
        process.arguments = ["-v", voice, "-w", partial, "-f", textFile]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw HornError.speech("cannot run \(command) (install espeak-ng): \((error as NSError).localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, fm.fileExists(atPath: partial) else {
            throw HornError.speech("\(command) -v \(voice) failed (status \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Atomic publication: a reader never sees a half-written cache file.
        guard rename(partial, path) == 0 else { throw HornError.speech("cannot move \(partial) to \(path)") }
        return path
    }

    /// Finds `name` on PATH (Process needs a full path).
    static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

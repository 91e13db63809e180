import CheckpointCore
import Foundation

/// Renders text to WAV with espeak-ng (`espeak-ng -v VOICE -w OUT.wav -f TEXT`), cached on disk
/// keyed by (voice, text): a phrase is synthesized once, then read from the cache.
///
/// Bounded: a run that takes longer than `timeout` is killed (SIGKILL) and reported as an error;
/// after each new file the cache is trimmed to `maximumCacheBytes`, oldest files (by modification
/// time) first, never the file just written; removed files are counted (`evictedFiles`).
public struct SpeechSynthesizer: Sendable {
    public var command: String
    public var cacheDirectory: String
    /// The longest one synthesis may run; nil: no limit.
    public var timeout: Duration?
    /// The cache's size limit in bytes; nil: no limit.
    public var maximumCacheBytes: UInt64?
    private let evictions = Mutex(0)

    public init(command: String = "espeak-ng", cacheDirectory: String, timeout: Duration? = .seconds(10),
                maximumCacheBytes: UInt64? = 64 << 20) {
        self.command = command
        self.cacheDirectory = cacheDirectory
        self.timeout = timeout
        self.maximumCacheBytes = maximumCacheBytes
    }

    /// Cache files removed to keep the cache under `maximumCacheBytes`.
    public var evictedFiles: Int { evictions.withLock { $0 } }

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
        let killed = Mutex(false)
        let watchdog = timeout.map { limit in
            let pid = process.processIdentifier
            let item = DispatchWorkItem {
                killed.withLock { $0 = true }
                kill(pid, SIGKILL)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(limit.components.seconds * 1_000_000_000
                                                                                   + limit.components.attoseconds / 1_000_000_000)),
                                              execute: item)
            return item
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog?.cancel()
        if killed.withLock({ $0 }), let timeout {
            throw HornError.speech("\(command) did not finish within \(timeout): killed")
        }
        guard process.terminationStatus == 0, fm.fileExists(atPath: partial) else {
            throw HornError.speech("\(command) -v \(voice) failed (status \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Atomic publication: a reader never sees a half-written cache file.
        guard rename(partial, path) == 0 else { throw HornError.speech("cannot move \(partial) to \(path)") }
        trimCache(keeping: path)
        return path
    }

    /// Removes the oldest cached WAV files until the cache holds at most `maximumCacheBytes`.
    func trimCache(keeping newest: String) {
        guard let limit = maximumCacheBytes else { return }
        let fm = FileManager.default
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        guard let urls = try? fm.contentsOfDirectory(at: URL(fileURLWithPath: cacheDirectory), includingPropertiesForKeys: keys) else { return }
        var files = urls.filter { $0.pathExtension == "wav" }.compactMap { url -> (path: String, size: UInt64, modified: Date)? in
            guard let values = try? url.resourceValues(forKeys: Set(keys)) else { return nil }
            return (url.path, UInt64(values.fileSize ?? 0), values.contentModificationDate ?? .distantPast)
        }
        var total = files.reduce(0) { $0 + $1.size }
        files.sort { $0.modified < $1.modified }
        for file in files where total > limit && file.path != newest {
            guard (try? fm.removeItem(atPath: file.path)) != nil else { continue }
            total -= file.size
            evictions.withLock { $0 += 1 }
        }
    }

    /// Finds `name` on PATH (Process needs a full path).
    static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

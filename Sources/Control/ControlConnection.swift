import CheckpointCore
import DeviceIO
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// One accepted control-socket connection (see `ControlServer` for the protocol rules).
///
/// Bounded: at most `readBudget` bytes are read per wakeup (other descriptors on the loop get their
/// turn), no more is read while `maxLineBytes` are buffered, and the next request is read only once
/// the previous reply has left (backpressure); `lineBudget` lines are handled per turn of the loop. A client that does not read its replies for
/// `writeStallTimeout` is disconnected.
///
/// Concurrency: `@unchecked Sendable` so that the router's task can hand the response back; all
/// mutable state is touched only on the loop thread (the task hops back with `execute`).
final class ControlConnection: @unchecked Sendable {
    typealias Serve = @Sendable (ControlRequest) async -> ControlResponse

    private let fd: Int32
    private let loop: EventLoop
    private let maxLineBytes: Int
    private let logger: Logger
    private let serve: Serve
    private let rejected: @Sendable () -> Void
    private let closed: @Sendable (ControlConnection) -> Void

    private var registration: EventLoop.Registration?
    private var inbound: [UInt8] = []
    private var outbound: [UInt8] = []
    private var busy = false
    private var peerFinished = false
    private var closeAfterFlush = false
    private var isClosed = false
    private var stallTimer: EventLoop.TimerHandle?
    /// Inside `processNextLine`: a flush there must not start it again (no recursion per line).
    private var processing = false
    /// Bytes read per readable event at most.
    static let readBudget = 64 * 1024
    /// Request lines handled per turn; the rest wait for the loop's next turn.
    static let lineBudget = 16
    /// How long a reply may wait for a client that does not read it.
    static let writeStallTimeout: Duration = .seconds(5)

    init(fd: Int32, loop: EventLoop, maxLineBytes: Int, logger: Logger, serve: @escaping Serve,
         rejected: @escaping @Sendable () -> Void, closed: @escaping @Sendable (ControlConnection) -> Void) {
        self.fd = fd
        self.loop = loop
        self.maxLineBytes = maxLineBytes
        self.logger = logger
        self.serve = serve
        self.rejected = rejected
        self.closed = closed
    }

    deinit {
        guard !isClosed else { return }
        if let registration { loop.deregister(registration) }
        Glibc.close(fd)
    }

    func start() throws {
        registration = try loop.register(fileDescriptor: fd, interest: .readable) { [weak self] events in
            self?.handle(events)
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        if let registration { loop.deregister(registration) }
        registration = nil
        if let stallTimer { _ = loop.cancel(stallTimer) }
        stallTimer = nil
        Glibc.close(fd)
        closed(self)
    }

    private func handle(_ events: IOEvents) {
        // After end of file, a hangup means the peer closed both directions: nobody can read a reply.
        if peerFinished && (events.contains(.hangup) || events.contains(.error)) {
            close()
            return
        }
        if events.contains(.writable) { flush() }
        if events.contains(.readable) || events.contains(.hangup) || events.contains(.error) { readAvailable() }
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var budget = Self.readBudget
        while !isClosed && !peerFinished && budget > 0 && inbound.count <= maxLineBytes {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, budget)) }
            if count > 0 {
                inbound.append(contentsOf: chunk[0..<count])
                budget -= count
                continue
            }
            if count == 0 {
                // End of file: the peer sent everything (it may still read, e.g. `socat` after a
                // half-close). Stop listening for input so only a full hangup is reported now.
                peerFinished = true
                updateInterest()
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN { break }
            logger.debug("control connection read failed: \(systemErrorText(errno))")
            close()
            return
        }
        processNextLine()
    }

    /// Answers complete lines in order until one needs the router (or none is left).
    private func processNextLine() {
        processing = true
        defer { processing = false }
        var lines = 0
        while !isClosed && !busy && outbound.isEmpty {
            lines += 1
            if lines > Self.lineBudget {
                _ = loop.execute { [weak self] in self?.processNextLine() }
                return
            }
            guard let newline = inbound.firstIndex(of: 0x0A) else {
                if inbound.count > maxLineBytes {
                    reject("request line longer than \(maxLineBytes) bytes; closing the connection")
                    inbound.removeAll()
                    closeAfterFlush = true
                    flush()
                } else if peerFinished {
                    closeAfterFlush = true
                    flush()
                }
                updateInterest()
                return
            }
            var line = Array(inbound[..<newline])
            inbound.removeSubrange(...newline)
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if line.count > maxLineBytes {
                reject("request line longer than \(maxLineBytes) bytes; closing the connection")
                closeAfterFlush = true
                flush()
                return
            }
            let request: ControlRequest
            do {
                request = try JSONDecoder().decode(ControlRequest.self, from: Data(line))
            } catch {
                reject("malformed request (expected one JSON ControlRequest per line): \(Self.describe(error))")
                continue
            }
            busy = true
            updateInterest()
            let serve = serve
            Task {
                let response = await serve(request)
                loop.execute { [self] in
                    busy = false
                    send(response)
                    processNextLine()
                }
            }
            return
        }
    }

    private func reject(_ reason: String) {
        rejected()
        logger.notice("control socket: \(reason)")
        send(.failure(reason))
    }

    private func send(_ response: ControlResponse) {
        guard !isClosed else { return }
        var encoded = (try? JSONEncoder().encode(response)) ?? Data()
        if encoded.isEmpty || encoded.count > maxLineBytes {
            encoded = (try? JSONEncoder().encode(ControlResponse.failure("response too large (\(encoded.count) bytes)"))) ?? Data()
        }
        outbound.append(contentsOf: encoded)
        outbound.append(0x0A)
        flush()
    }

    private func flush() {
        while !isClosed && !outbound.isEmpty {
            // send with MSG_NOSIGNAL: a client that went away must not kill the daemon with SIGPIPE.
            let count = outbound.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 { outbound.removeFirst(count); continue }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EAGAIN { break }
            close()
            return
        }
        if outbound.isEmpty && closeAfterFlush && !busy { close(); return }
        if outbound.isEmpty {
            if let stallTimer { _ = loop.cancel(stallTimer) }
            stallTimer = nil
            if !busy && !isClosed && !processing { processNextLine() }
        } else if stallTimer == nil && !isClosed {
            stallTimer = loop.schedule(after: Self.writeStallTimeout) { [weak self] in
                guard let self, !self.isClosed, !self.outbound.isEmpty else { return }
                self.rejected()
                self.logger.notice("control socket: a client did not read its replies for \(Self.writeStallTimeout); disconnected")
                self.close()
            }
        }
        updateInterest()
    }

    private func updateInterest() {
        guard !isClosed, let registration else { return }
        var interest: IOEvents = []
        if !peerFinished && !busy && !closeAfterFlush && outbound.isEmpty && inbound.count <= maxLineBytes {
            interest.insert(.readable)
        }
        if !outbound.isEmpty { interest.insert(.writable) }
        try? loop.modify(registration, interest: interest)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context): return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.valueNotFound(_, let context): return "missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}

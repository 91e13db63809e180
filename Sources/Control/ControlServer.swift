import CheckpointCore
import DeviceIO
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's end of the control socket (docs/contracts.md §8; protocol in `ControlProtocol`).
///
/// A Unix stream socket at `path` (default `/run/checkpoint/control.sock`): the parent directory is
/// created if missing, a stale socket file (nobody answers on it) is replaced, a live one is an
/// error (`alreadyInUse`), anything else at the path is left alone (`notASocket`); the socket file
/// gets `mode` (0660: the service user and its group, e.g. technicians in `checkpoint`).
///
/// Connections are accepted and served on the `EventLoop`. Each line of a connection is one JSON
/// `ControlRequest`; requests of one connection are answered in order, one `ControlResponse` line
/// each, produced by `ControlRouter.handle` (which runs in a Swift task; the response goes back
/// through the loop). A line that is not a valid request gets a failure response and the
/// connection goes on; a line longer than `ControlProtocol.maxLineBytes` gets a failure response
/// and the connection is closed (the stream cannot be resynchronised safely). Rejections are
/// counted (`rejectedLines`). Connections beyond `maxConnections` are closed at once.
///
/// Every request carries the peer the kernel reports (SO_PEERCRED, `ControlRequest.peer`); a command
/// that acts (not in `ControlAccess.readOnlyCommands`) is refused unless that peer may act.
///
/// Concurrency: `@unchecked Sendable`; listener and connection state are confined to the loop
/// thread; `start`/`stop` hop onto it.
public final class ControlServer: @unchecked Sendable {
    public let path: String
    public let mode: mode_t
    public let maxConnections: Int
    public let maxLineBytes: Int
    private let router: ControlRouter
    private let loop: EventLoop
    private let logger: Logger

    private struct State {
        var listener: Int32?
        var registration: EventLoop.Registration?
        var connections: [ObjectIdentifier: ControlConnection] = [:]
        var rejectedLines = 0
        var servedRequests = 0
        var refusedRequests = 0
    }
    private let state = Mutex(State())

    public init(path: String = ControlProtocol.defaultSocketPath, router: ControlRouter, loop: EventLoop,
                mode: mode_t = 0o660, maxConnections: Int = 32, maxLineBytes: Int = ControlProtocol.maxLineBytes,
                logger: Logger = Logger(label: "checkpoint.control")) {
        self.path = path
        self.router = router
        self.loop = loop
        self.mode = mode
        self.maxConnections = maxConnections
        self.maxLineBytes = maxLineBytes
        self.logger = logger
    }

    /// A server dropped without `stop()` still closes its listener (the socket file stays; the next
    /// start replaces it as stale). Connections close as they are released.
    deinit {
        let (listener, registration) = state.withLock { ($0.listener, $0.registration) }
        if let registration { loop.deregister(registration) }
        if let listener { close(listener) }
    }

    /// Open connections.
    public var connectionCount: Int { state.withLock { $0.connections.count } }
    /// Lines answered with a failure because they were malformed or too long.
    public var rejectedLines: Int { state.withLock { $0.rejectedLines } }
    /// Acting requests refused to a peer that may only read (`ControlAccess`).
    public var refusedRequests: Int { state.withLock { $0.refusedRequests } }

    /// Requests handed to the router.
    public var servedRequests: Int { state.withLock { $0.servedRequests } }

    /// Creates the socket and starts accepting on the loop.
    public func start() throws {
        try prepareDirectoryAndPath()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlServerError.systemCall(path: path, call: "socket", errno: errno) }
        do {
            guard let bound = UnixSocketAddress.with(path, { bind(fd, $0, $1) }) else { throw ControlServerError.pathTooLong(path: path) }
            guard bound == 0 else { throw ControlServerError.systemCall(path: path, call: "bind", errno: errno) }
            guard chmod(path, mode) == 0 else { throw ControlServerError.systemCall(path: path, call: "chmod", errno: errno) }
            guard listen(fd, 16) == 0 else { throw ControlServerError.systemCall(path: path, call: "listen", errno: errno) }
            let registration = try loop.register(fileDescriptor: fd, interest: .readable) { [weak self] _ in
                self?.acceptPending()
            }
            state.withLock {
                $0.listener = fd
                $0.registration = registration
            }
        } catch {
            close(fd)
            throw error
        }
        logger.info("control socket listening at \(path)")
    }

    /// Stops accepting, closes every connection and removes the socket file. Idempotent.
    public func stop() {
        loop.executeAndWait { [self] in
            let (listener, registration, connections) = state.withLock { s in
                defer {
                    s.listener = nil
                    s.registration = nil
                    s.connections.removeAll()
                }
                return (s.listener, s.registration, Array(s.connections.values))
            }
            if let registration { loop.deregister(registration) }
            if let listener {
                close(listener)
                unlink(path)
            }
            for connection in connections { connection.close() }
        }
    }

    // MARK: Internals (loop thread)

    private func prepareDirectoryAndPath() throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ControlServerError.systemCall(path: path, call: "mkdir \(directory)", errno: errno)
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw ControlServerError.notASocket(path: path) }
        if Self.someoneAnswers(at: path) { throw ControlServerError.alreadyInUse(path: path) }
        guard unlink(path) == 0 else { throw ControlServerError.systemCall(path: path, call: "unlink stale socket", errno: errno) }
    }

    private static func someoneAnswers(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return UnixSocketAddress.with(path, { connect(fd, $0, $1) }) == 0
    }

    private func acceptPending() {
        guard let listener = state.withLock({ $0.listener }) else { return }
        while true {
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                // accept4 is not visible from Swift's Glibc: set the flags right after accepting.
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            if fd < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { logger.warning("accept failed: \(systemErrorText(errno))") }
                return
            }
            if connectionCount >= maxConnections {
                logger.warning("control socket: more than \(maxConnections) connections; closing the new one")
                close(fd)
                continue
            }
            let peer = PeerCredentials.of(fd)
            let connection = ControlConnection(fd: fd, loop: loop, maxLineBytes: maxLineBytes, logger: logger,
                                               serve: { [weak self] received in
                                                   guard let self else { return .failure("control server stopped") }
                                                   var request = received
                                                   request.peer = peer
                                                   if !ControlAccess.isReadOnly(request.command) && peer?.mayAct != true {
                                                       state.withLock { $0.refusedRequests += 1 }
                                                       logger.notice("control socket: \(request.command) refused to \(peer?.name ?? "an unknown peer")")
                                                       return .failure("\(request.command) acts on the gate: only root, the service user or members of group \(ControlAccess.operatorGroup) may use it (you are \(peer?.name ?? "unknown"))")
                                                   }
                                                   state.withLock { $0.servedRequests += 1 }
                                                   return await router.handle(request)
                                               },
                                               rejected: { [weak self] in self?.state.withLock { $0.rejectedLines += 1 } },
                                               closed: { [weak self] connection in
                                                   self?.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
                                               })
            do {
                try connection.start()
                state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
            } catch {
                logger.warning("control socket: cannot serve a connection: \(error)")
                connection.close()
            }
        }
    }
}

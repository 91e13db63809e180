/// Runs a configuration conversation over a byte channel: writes each request, feeds what comes
/// back into the session, and gives up on a request whose reply does not complete within
/// `replyTimeout`. The channel is two closures, so any transport fits (a `SerialPort`, a simulator).
public enum ScannerConfigurationDriver {
    public static func run(_ session: any ScannerConfigurationSession,
                           send: @Sendable ([UInt8]) -> Void,
                           inbox: ByteInbox,
                           replyTimeout: Duration = .seconds(2)) async -> ConfigurationReport {
        var session = session
        let first = session.start()
        guard !first.isEmpty else { return session.abandoned("nothing to send") }
        send(first)
        while true {
            guard let bytes = await inbox.next(timeout: replyTimeout) else {
                return session.abandoned("no complete reply within \(replyTimeout)")
            }
            switch session.receive(bytes) {
            case .needMoreBytes: continue
            case .send(let next): send(next)
            case .sendAndFinish(let last, let report): send(last); return report
            case .finished(let report): return report
            }
        }
    }
}

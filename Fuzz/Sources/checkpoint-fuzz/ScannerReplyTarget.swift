import Scanners

/// A scanner configuration conversation (GM65, Honeywell menu, Zebra SSI) fed arbitrary reply
/// bytes. Contract checked: the conversation ends or asks for more, never loops; what a report
/// records as replies are bytes that arrived; a report is accepted only after at least one reply.
enum ScannerReplyTarget {
    static func target(_ set: ScannerCommandSet) -> FuzzTarget {
        FuzzTarget(name: "scanner-config-\(set.rawValue)",
                   summary: "\(set.rawValue) configuration conversation: scanner reply bytes in, a report out",
                   seeds: { seeds(set) },
                   body: { run(set, bytes: $0) })
    }

    static let actions: [ScannerConfigurationAction] = [.aimIdentifiers(true), .aimIdentifiers(false), .suffix([0x0D]), .save]

    static func run(_ set: ScannerCommandSet, bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let action = actions[Int(first) % actions.count]
        guard var session = try? ScannerConfiguration.session(set, action) else { return }
        _ = session.start()
        var fed = 0
        for chunk in ArrivalSchedule(Array(bytes.dropFirst())) {
            fed += chunk.bytes.count
            switch session.receive(Array(chunk.bytes)) {
            case .needMoreBytes, .send: continue
            case .sendAndFinish(_, let report), .finished(let report):
                check(report, fed: fed)
                return
            }
        }
        check(session.abandoned("input ended"), fed: fed)
    }

    static func check(_ report: ConfigurationReport, fed: Int) {
        let replied = report.exchanges.reduce(0) { $0 + $1.reply.count }
        FuzzCheck.require(replied <= fed, "the report records \(replied) reply bytes of \(fed) received")
        FuzzCheck.require(!report.accepted || !report.exchanges.isEmpty, "a conversation accepted without any reply")
    }

    /// Replies the real devices give, built with the product's encoders (first byte: the action).
    static func seeds(_ set: ScannerCommandSet) -> [[UInt8]] {
        switch set {
        case .gm65:
            return [[0] + GM65CommandSet.reply(data: [0x80]) + GM65CommandSet.reply(data: [0x00]),
                    [3] + GM65CommandSet.reply(data: [0x00])]
        case .honeywell:
            return [[0] + Array("\u{16}M\r995C80\u{06}.".utf8), [3] + Array("\u{16}M\rMNUSAV\u{06}.".utf8)]
        case .zebraSSI:
            return [[0] + ZebraSSICommandSet.packet(opcode: 0xD0, source: 0x00),
                    [2] + ZebraSSICommandSet.packet(opcode: 0xD0, source: 0x00) + ZebraSSICommandSet.packet(opcode: 0xD0, source: 0x00)]
        }
    }
}

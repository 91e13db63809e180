import DeviceCatalog
import DeviceFamilies
import IDCards

/// An ID card reader's SAM session (frames, polling, select/read cycle) fed arbitrary bytes.
/// Contract checked: a card event carries a citizen number whose check character is right; timers
/// never run backwards nor fire forever at one instant.
enum IDReaderSessionTarget {
    static func target(model: CatalogModel) -> FuzzTarget {
        FuzzTarget(name: "idreader-\(model.model)",
                   summary: "SAM session of catalog model \(model.model): reader bytes in, cards out",
                   seeds: { [SAMFrame.response(.success, data: [0x00, 0x00, 0x00, 0x00]),
                             SAMFrame.response(.success, data: [0x9F]) + SAMFrame.response(.success)] },
                   body: { run(model: model, bytes: $0) })
    }

    static func run(model: CatalogModel, bytes: [UInt8]) {
        guard var session = try? IDReaderFamily.session(for: model, device: "fuzz") else {
            FuzzCheck.require(false, "catalog model \(model.model) does not build a reader session")
            return
        }
        var now: Int64 = 0
        _ = session.opened(now: now)
        for chunk in ArrivalSchedule(bytes) {
            now += chunk.gapMs
            var fired = 0
            while let deadline = session.nextDeadline, deadline <= now {
                check(session.timerFired(now: deadline))
                fired += 1
                FuzzCheck.require(fired < 100 && (session.nextDeadline ?? .max) >= deadline,
                                  "timer at \(deadline) ms ran the deadline backwards or fired 100 times at one instant")
            }
            check(session.received(Array(chunk.bytes), now: now))
        }
        _ = session.closed(now: now)
    }

    static func check(_ output: IDReaderOutput) {
        for case .card(let card) in output.events {
            let digits = Array(card.citizenNumber.digits.utf8)
            FuzzCheck.require(digits.count == 18, "a citizen number of \(digits.count) characters")
            FuzzCheck.require(CitizenNumber.checkCharacter(forFirst17: Array(digits.prefix(17))) == digits.last,
                              "a card whose citizen number fails its check character")
        }
    }
}

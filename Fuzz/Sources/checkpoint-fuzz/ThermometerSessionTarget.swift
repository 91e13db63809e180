import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import Thermometers

/// A thermometer family's session (codec, polling, timeouts, scaling) fed arbitrary bytes as they
/// could arrive on the serial line. Contract checked: every reading lies inside the model's sensor
/// range and is finite; a polled family reports a reading only while a request is outstanding
/// (fresh input only); timers never run backwards nor fire forever at one instant.
enum ThermometerSessionTarget {
    static func target(model: CatalogModel) -> FuzzTarget {
        FuzzTarget(name: "thermometer-\(model.model)",
                   summary: "\(model.family) session of catalog model \(model.model): serial bytes in, readings out",
                   seeds: { seeds(family: model.family) },
                   body: { run(model: model, bytes: $0) })
    }

    static func run(model: CatalogModel, bytes: [UInt8]) {
        guard var session = try? ThermometerSession(model: model, device: "fuzz") else {
            FuzzCheck.require(false, "catalog model \(model.model) does not build a session")
            return
        }
        var now: Int64 = 0
        _ = session.opened(now: now)
        let polled = session.isAwaitingReply
        for chunk in ArrivalSchedule(bytes) {
            now += chunk.gapMs
            var fired = 0
            while let deadline = session.nextDeadline, deadline <= now {
                let awaiting = session.isAwaitingReply
                check(session.timerFired(now: deadline), session: session, polled: polled, wasAwaiting: awaiting)
                fired += 1
                FuzzCheck.require(fired < 100 && (session.nextDeadline ?? .max) >= deadline,
                                  "timer at \(deadline) ms ran the deadline backwards or fired 100 times at one instant")
            }
            let awaiting = session.isAwaitingReply
            check(session.received(Array(chunk.bytes), now: now), session: session, polled: polled, wasAwaiting: awaiting)
        }
        _ = session.closed(now: now)
    }

    static func check(_ output: SessionOutput, session: ThermometerSession, polled: Bool, wasAwaiting: Bool) {
        for event in output.events {
            guard case .reading(let reading, _) = event else { continue }
            FuzzCheck.require(reading.celsius.isFinite, "reading \(reading.celsius) °C is not finite")
            let sensor = session.scaling.sensorCelsius(raw: reading.raw)
            FuzzCheck.require(session.scaling.range.contains(sensor),
                              "reading of sensor value \(sensor) °C outside the model's range \(session.scaling.range)")
            FuzzCheck.require(!polled || wasAwaiting, "a polled thermometer reported a reading with no request outstanding")
        }
    }

    /// Replies the family's devices send, built with the product's own frame encoders.
    static func seeds(family: String) -> [[UInt8]] {
        switch family {
        case "lu90614":
            return [LU90614Codec.reply(mode: .body, hundredths: 3655),
                    LU90614Codec.reply(mode: .object, hundredths: 4030) + LU90614Codec.reply(mode: .body, hundredths: 3790)]
        case "gy-mcu90614":
            return [GYMCU90614Codec.frame(objectHundredths: 3650, ambientHundredths: 2510),
                    GYMCU90614Codec.frame(objectHundredths: 3830, ambientHundredths: 2490) + [0x00, 0x5A]]
        case "gd60914":
            return [GD60914Codec.reply(tenths: 365), GD60914Codec.reply(tenths: 381) + GD60914Codec.reply(tenths: 366)]
        case "modbus-rtu":
            return [ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [365]),
                    ModbusRTUCodec.readResponse(slave: 1, function: 3, values: [3790]),
                    ModbusRTUCodec.exceptionResponse(slave: 1, function: 4, code: 2)]
        case "ascii-line":
            return [Array("T=36.6\r\n".utf8), Array("36.55\n37.90\n".utf8), Array("TEMP:+036.6C\r\n".utf8)]
        default:
            return []
        }
    }
}

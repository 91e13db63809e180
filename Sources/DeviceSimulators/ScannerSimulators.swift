import DeviceCatalog
import DeviceFamilies
import Scanners

/// Simulators for the scanner families. `serial-scanner` models (with their catalog framing,
/// encoding and configuration command set); options: `aim=on|off` (symbology identifiers: AIM, or
/// the vendor's code id for a model whose catalog file lists `codeIDs`, e.g. Grow's Code ID on a
/// GM65), `suffix=HEX|none` (the state the device starts in). Keyboard-wedge and HID POS scanners are simulated by recorded streams
/// replayed into the decoders (Tests/ScannersTests/Captures); their kernel paths (uinput, uhid)
/// come with the QEMU test tier.
public enum ScannerSimulators {
    public static let all: [SimulatorFamily] = [
        SimulatorFamily(family: ScannerFamilies.serial, role: .scanner, optionKeys: ["aim", "suffix"]) { model, options throws(SimulatorCommandError) in
            let profile: ScannerProfile
            do { profile = try ScannerFamilies.profile(for: model) } catch { throw SimulatorCommandError("\(error)") }
            guard case .serial(var framing, _) = profile.decoding else { throw SimulatorCommandError("\(model.model) is not a serial scanner") }
            if let aim = options["aim"] {
                guard aim == "on" || aim == "off" else { throw SimulatorCommandError("aim=\(aim) must be on or off") }
                if aim == "off" {
                    framing.aimIdentifiers = false
                    framing.codeIDs = [:]
                } else if framing.codeIDs.isEmpty {
                    framing.aimIdentifiers = true
                }
            }
            if let suffix = options["suffix"] {
                if suffix == "none" { framing.suffix = [] } else if let b = HexBytes.parse(suffix), !b.isEmpty { framing.suffix = b } else {
                    throw SimulatorCommandError("suffix=\(suffix) must be hex bytes (0D0A) or none")
                }
            }
            return SimulatedSerialScanner(framing: framing, encoding: profile.rules.encoding, commandSet: profile.commandSet)
        },
    ]
}

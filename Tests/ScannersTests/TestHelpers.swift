import CheckpointCore
import DeviceSimulators
import Foundation
import Scanners
import TestSupport

enum BuildProductsPaths {
    static var repository: URL { BuildProducts.packageRoot }
}

/// Types text (no AIM identifier) with the simulator's encoder.
struct KeyboardWedgeEncoderForTests {
    var layout: KeyboardLayout
    var altCodePage: AltCodePage = .windows

    func events(_ text: String, start: Duration = .seconds(100)) -> [InputEvent]? {
        let e = KeyboardWedgeEncoder(layout: layout, altCodePage: altCodePage, sendAIM: false)
        return e.events(SimulatedCode(text, symbology: .unknown), start: start)?.events
    }
}

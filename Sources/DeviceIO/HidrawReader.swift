import Logging

/// HID POS scanners: `/dev/hidrawN`, one input report per delivery (report id first for devices
/// with numbered reports). `posModeFeatureReport` (catalog data) is sent with HIDIOCSFEATURE after
/// opening, for models that must be told to enter POS mode.
public enum HidrawReader {
    public static func make(path: String, loop: EventLoop, posModeFeatureReport: [UInt8]? = nil,
                            logger: Logger = Logger(label: "checkpoint.hidraw")) -> DeviceNodeReader {
        DeviceNodeReader(path: path, kind: .hidraw, loop: loop, featureReport: posModeFeatureReport, logger: logger)
    }
}

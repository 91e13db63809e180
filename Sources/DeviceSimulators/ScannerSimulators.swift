/// Scanner simulator families (owned by the scanners module's engineer): add entries here.
public enum ScannerSimulators {
    public static let all: [SimulatorFamily] = []
}

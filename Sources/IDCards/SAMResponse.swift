/// One reader → host frame, after framing and checksum: the status words and the data.
public struct SAMResponse: Sendable, Hashable {
    public var sw1: UInt8
    public var sw2: UInt8
    public var status: SAMStatus
    public var data: [UInt8]

    public init(sw1: UInt8 = 0, sw2: UInt8 = 0, status: SAMStatus, data: [UInt8] = []) {
        self.sw1 = sw1
        self.sw2 = sw2
        self.status = status
        self.data = data
    }
}

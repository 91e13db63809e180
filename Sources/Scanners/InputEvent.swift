/// One Linux `struct input_event` as read from `/dev/input/eventN`: 24 bytes on arm64 and x86-64
/// (`struct timeval` of two 64-bit fields, then `__u16 type`, `__u16 code`, `__s32 value`), in the
/// machine's byte order (little-endian on both).
public struct InputEvent: Sendable, Hashable {
    public static let size = 24
    /// `EV_SYN`, `EV_KEY`, `EV_MSC`.
    public static let typeSync: UInt16 = 0
    public static let typeKey: UInt16 = 1
    public static let typeMisc: UInt16 = 4
    /// `SYN_DROPPED` (an `EV_SYN` code): the kernel's buffer for this reader overflowed and events
    /// were discarded since the last read.
    public static let synDropped: UInt16 = 3
    /// Key event values.
    public static let released: Int32 = 0
    public static let pressed: Int32 = 1
    public static let repeated: Int32 = 2

    /// The event's timestamp (the kernel's, from the timeval), as a duration since its epoch.
    public var time: Duration
    public var type: UInt16
    public var code: UInt16
    public var value: Int32

    public init(time: Duration, type: UInt16, code: UInt16, value: Int32) {
        self.time = time
        self.type = type
        self.code = code
        self.value = value
    }

    /// A key event.
    public static func key(_ code: UInt16, _ value: Int32, at time: Duration) -> InputEvent {
        InputEvent(time: time, type: typeKey, code: code, value: value)
    }

    /// Decodes exactly `InputEvent.size` bytes; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.size else { return nil }
        let b = Array(bytes)
        func le(_ at: Int, _ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in (0..<n).reversed() { v = (v << 8) | UInt64(b[at + i]) }
            return v
        }
        let seconds = Int64(bitPattern: le(0, 8))
        let micros = Int64(bitPattern: le(8, 8))
        // Clamp absurd values (garbage input) instead of trapping on overflow.
        let s = max(-(1 << 40), min(1 << 40, seconds))
        let us = max(-(1 << 40), min(1 << 40, micros))
        self.time = .seconds(s) + .microseconds(us)
        self.type = UInt16(le(16, 2))
        self.code = UInt16(le(18, 2))
        self.value = Int32(bitPattern: UInt32(le(20, 4)))
    }

    /// The 24 bytes of this event (little-endian).
    public var bytes: [UInt8] {
        let (s, attos) = time.components
        let micros = attos / 1_000_000_000_000
        var out: [UInt8] = []
        out.reserveCapacity(Self.size)
        func put(_ v: UInt64, _ n: Int) { for i in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        put(UInt64(bitPattern: s), 8)
        put(UInt64(bitPattern: micros), 8)
        put(UInt64(type), 2)
        put(UInt64(code), 2)
        put(UInt64(UInt32(bitPattern: value)), 4)
        return out
    }
}

/// Splits a byte stream into `InputEvent`s; bytes may arrive in any chunks (a read of an evdev
/// device returns whole events, a capture file read in blocks may not).
public struct InputEventStream: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Bytes held back because they do not yet make a whole event.
    public var pendingByteCount: Int { pending.count }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [InputEvent] {
        pending.append(contentsOf: bytes)
        var events: [InputEvent] = []
        var start = 0
        while pending.count - start >= InputEvent.size {
            if let e = InputEvent(bytes: pending[start..<(start + InputEvent.size)]) { events.append(e) }
            start += InputEvent.size
        }
        pending.removeFirst(start)
        return events
    }
}

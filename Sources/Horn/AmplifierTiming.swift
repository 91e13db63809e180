/// The amplifier's power sequencing, from its datasheet and the installation.
public struct AmplifierTiming: Sendable, Hashable {
    /// From the amplifier enable to the first sample: the reference voltage must settle, or the
    /// start of the announcement is clipped and the speaker pops (default 150 ms).
    public var warmup: Duration
    /// How long the amplifier stays on after the last item, so back-to-back items share one
    /// power-up and the end is not cut (default 2 s).
    public var tail: Duration
    /// From the external-horn relay closing to the amplifier enable (contact bounce; default 50 ms).
    /// Only used when a relay line is configured.
    public var relayLead: Duration

    public init(warmup: Duration = .milliseconds(150), tail: Duration = .seconds(2), relayLead: Duration = .milliseconds(50)) {
        self.warmup = warmup
        self.tail = tail
        self.relayLead = relayLead
    }
}

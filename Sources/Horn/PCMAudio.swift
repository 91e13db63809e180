import Foundation

/// Signed 16-bit PCM samples, interleaved by channel, ready for the player.
public struct PCMAudio: Sendable, Hashable {
    /// 1 (mono) or 2 (stereo).
    public var channels: Int
    /// Frames per second (Hz).
    public var sampleRate: Int
    /// Interleaved samples; `samples.count` is a multiple of `channels`.
    public var samples: [Int16]

    public init(channels: Int, sampleRate: Int, samples: [Int16]) {
        self.channels = channels
        self.sampleRate = sampleRate
        self.samples = samples
    }

    public var frameCount: Int { channels > 0 ? samples.count / channels : 0 }

    /// Length in seconds.
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

    /// The same audio at `volume` (a linear factor, clamped to 0…1).
    public func scaled(by volume: Double) -> PCMAudio {
        let v = min(1, max(0, volume))
        guard v < 1 else { return self }
        var copy = self
        copy.samples = samples.map { Int16((Double($0) * v).rounded()) }
        return copy
    }

    /// The sample rates the player accepts (the common ones; ALSA's plug layer converts for the device).
    public static let supportedRates: Set<Int> = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000]

    /// What plays when an item's audio cannot be had in time: two 880 Hz beeps of 150 ms with
    /// 100 ms between them, 16 kHz mono at half scale (400 ms in all) — short, and unlike speech.
    public static let fallbackTone: PCMAudio = {
        let rate = 16000
        func beep() -> [Int16] {
            (0..<(rate * 150 / 1000)).map { i in Int16((sin(2 * Double.pi * 880 * Double(i) / Double(rate)) * 16383).rounded()) }
        }
        let gap = [Int16](repeating: 0, count: rate * 100 / 1000)
        return PCMAudio(channels: 1, sampleRate: rate, samples: beep() + gap + beep())
    }()
}

/// Joining audio for announcements made of several parts.
extension PCMAudio {
    /// `pieces` one after another, with `pause` of silence between two, in one format: the highest
    /// sample rate and the most channels among them. A mono piece in stereo company is copied to
    /// both channels; a piece at another rate is converted by linear interpolation. No pieces: empty
    /// 16 kHz mono audio.
    public static func sequence(_ pieces: [PCMAudio], pause: Duration) -> PCMAudio {
        guard let rate = pieces.map(\.sampleRate).max(), let channels = pieces.map(\.channels).max() else {
            return PCMAudio(channels: 1, sampleRate: 16000, samples: [])
        }
        let pauseMs = max(0, Int(pause.components.seconds) * 1000 + Int(pause.components.attoseconds / 1_000_000_000_000_000))
        let silence = [Int16](repeating: 0, count: rate * pauseMs / 1000 * channels)
        var samples: [Int16] = []
        for (i, piece) in pieces.enumerated() {
            if i > 0 { samples += silence }
            samples += piece.converted(sampleRate: rate, channels: channels).samples
        }
        return PCMAudio(channels: channels, sampleRate: rate, samples: samples)
    }

    /// The same sound at `sampleRate` (Hz) with `channels` (1 or 2; only mono → stereo is a
    /// change this makes: a stereo source keeps two channels).
    func converted(sampleRate target: Int, channels targetChannels: Int) -> PCMAudio {
        var audio = self
        if target != sampleRate, sampleRate > 0, frameCount > 0 {
            let frames = frameCount
            let outFrames = Int((Double(frames) * Double(target) / Double(sampleRate)).rounded())
            var out = [Int16](repeating: 0, count: outFrames * channels)
            let step = Double(sampleRate) / Double(target)
            for j in 0..<outFrames {
                let position = Double(j) * step
                let i = min(Int(position), frames - 1), next = min(i + 1, frames - 1)
                let fraction = position - Double(i)
                for c in 0..<channels {
                    let a = Double(samples[i * channels + c]), b = Double(samples[next * channels + c])
                    out[j * channels + c] = Int16((a + (b - a) * fraction).rounded())
                }
            }
            audio = PCMAudio(channels: channels, sampleRate: target, samples: out)
        }
        if targetChannels == 2 && audio.channels == 1 {
            audio = PCMAudio(channels: 2, sampleRate: audio.sampleRate, samples: audio.samples.flatMap { [$0, $0] })
        }
        return audio
    }
}

import CALSA
import Foundation

/// An open ALSA playback PCM (S16_LE, interleaved), closed on deinit. Used by one thread at a time.
// @unchecked: the ALSA handle (a C pointer) is used by one playback thread at a time.
final class AlsaPCM: @unchecked Sendable {
    private var handle: OpaquePointer?
    let device: String
    let channels: Int
    let rate: Int

    /// The buffer the PCM keeps (µs): it bounds how long `drain` takes, hence how late a stop that
    /// arrives during the drain can be. 40 ms keeps stops under 50 ms.
    static let latencyMicroseconds: UInt32 = 40_000

    /// Opens `device`; `configuration` is ALSA configuration text that defines it (instead of the
    /// system's alsa.conf), e.g. a file plugin over the null PCM in tests.
    init(device: String, configuration: String?, channels: Int, rate: Int) throws {
        var pcm: OpaquePointer? = nil
        var rc: Int32
        if let configuration {
            var top: OpaquePointer? = nil
            rc = snd_config_top(&top)
            guard rc >= 0, let top else { throw Self.error(device, "snd_config_top", rc) }
            defer { snd_config_delete(top) }
            var input: OpaquePointer? = nil
            rc = configuration.withCString { snd_input_buffer_open(&input, $0, -1) }
            guard rc >= 0, let input else { throw Self.error(device, "snd_input_buffer_open", rc) }
            rc = snd_config_load(top, input)
            snd_input_close(input)
            guard rc >= 0 else { throw Self.error(device, "snd_config_load", rc) }
            rc = snd_pcm_open_lconf(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0, top)
        } else {
            rc = snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0)
        }
        guard rc >= 0, let pcm else { throw Self.error(device, "snd_pcm_open", rc) }
        rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED,
                                UInt32(channels), UInt32(rate), 1, Self.latencyMicroseconds)
        guard rc >= 0 else {
            snd_pcm_close(pcm)
            throw Self.error(device, "snd_pcm_set_params(S16_LE, \(channels) ch, \(rate) Hz)", rc)
        }
        self.handle = pcm
        self.device = device
        self.channels = channels
        self.rate = rate
    }

    deinit { close() }

    /// Closes the PCM (idempotent), so the device can be opened again at once.
    func close() {
        if let h = handle { snd_pcm_close(h) }
        handle = nil
    }

    /// Writes all of `frames` (interleaved) unless `shouldStop` turns true between chunks of 10 ms.
    /// Returns false if stopped. Recovers from underruns.
    func write(_ samples: [Int16], shouldStop: () -> Bool) throws -> Bool {
        guard let handle else { return false }
        let chunkFrames = max(1, rate / 100)
        var frame = 0
        let total = samples.count / channels
        while frame < total {
            if shouldStop() { return false }
            let n = min(chunkFrames, total - frame)
            let written = samples.withUnsafeBufferPointer { buf in
                snd_pcm_writei(handle, buf.baseAddress! + frame * channels, snd_pcm_uframes_t(n))
            }
            if written < 0 {
                let rc = snd_pcm_recover(handle, Int32(written), 1)
                if rc < 0 { throw Self.error(device, "snd_pcm_writei", Int32(written)) }
                continue
            }
            frame += Int(written)
        }
        return true
    }

    /// Plays out what is buffered (at most `latencyMicroseconds`).
    func drain() { if let handle { snd_pcm_drain(handle) } }

    /// Discards what is buffered: the sound stops now.
    func drop() { if let handle { snd_pcm_drop(handle) } }

    static func error(_ device: String, _ call: String, _ rc: Int32) -> HornError {
        .alsa(device: device, call: call, message: String(cString: snd_strerror(rc)))
    }
}

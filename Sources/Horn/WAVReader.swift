import Foundation

/// Reads RIFF/WAVE files holding PCM 16-bit little-endian, mono or stereo, at a rate in
/// `PCMAudio.supportedRates`. Anything else is rejected with an error naming the file and its
/// format (e.g. "8-bit PCM", "IEEE float", "6 channels", "12345 Hz").
public enum WAVReader {
    public static func read(_ path: String) throws -> PCMAudio {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw HornError.unsupportedAudio(file: path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        return try decode([UInt8](data), file: path)
    }

    /// Decodes a WAV image; `file` only names errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> PCMAudio {
        func fail(_ reason: String) -> HornError { .unsupportedAudio(file: file, reason: reason) }
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw fail("not a RIFF/WAVE file")
        }
        var offset = 12
        var format: (tag: Int, channels: Int, rate: Int, bits: Int)? = nil
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let declared = u32(offset + 4)
            let body = offset + 8
            let available = bytes.count - body
            // Streaming writers leave the size at a placeholder: take what is there.
            let size = min(declared, available)
            switch id {
            case "fmt ":
                guard size >= 16 else { throw fail("fmt chunk of \(size) bytes is too short") }
                var tag = u16(body)
                if tag == 0xFFFE, size >= 26 { tag = u16(body + 24) }   // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
                format = (tag, u16(body + 2), u32(body + 4), u16(body + 14))
            case "data":
                guard let f = format else { throw fail("data chunk before fmt chunk") }
                switch f.tag {
                case 1: break
                case 3: throw fail("IEEE float samples are not supported (need PCM 16-bit)")
                case 6, 7: throw fail("A-law/µ-law samples are not supported (need PCM 16-bit)")
                default: throw fail("format tag \(f.tag) is not PCM")
                }
                guard f.bits == 16 else { throw fail("\(f.bits)-bit PCM is not supported (need 16-bit)") }
                guard f.channels == 1 || f.channels == 2 else { throw fail("\(f.channels) channels are not supported (need mono or stereo)") }
                guard PCMAudio.supportedRates.contains(f.rate) else {
                    throw fail("\(f.rate) Hz is not supported (use one of \(PCMAudio.supportedRates.sorted().map(String.init).joined(separator: ", ")) Hz)")
                }
                let frameBytes = 2 * f.channels
                let usable = size - size % frameBytes
                var samples = [Int16](repeating: 0, count: usable / 2)
                for i in 0..<samples.count {
                    samples[i] = Int16(bitPattern: UInt16(bytes[body + 2 * i]) | UInt16(bytes[body + 2 * i + 1]) << 8)
                }
                return PCMAudio(channels: f.channels, sampleRate: f.rate, samples: samples)
            default:
                break
            }
            offset = body + size + (size & 1)
        }
        throw fail(format == nil ? "no fmt chunk" : "no data chunk")
    }

    /// Encodes PCM 16-bit audio as a WAV image (for tests and the speech cache).
    public static func encode(_ audio: PCMAudio) -> [UInt8] {
        var out: [UInt8] = []
        func put32(_ v: Int) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> s) & 0xFF)) } }
        func put16(_ v: Int) { out.append(UInt8(v & 0xFF)); out.append(UInt8((v >> 8) & 0xFF)) }
        let dataBytes = audio.samples.count * 2
        out += Array("RIFF".utf8); put32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); put32(16); put16(1); put16(audio.channels); put32(audio.sampleRate)
        put32(audio.sampleRate * audio.channels * 2); put16(audio.channels * 2); put16(16)
        out += Array("data".utf8); put32(dataBytes)
        for s in audio.samples { put16(Int(UInt16(bitPattern: s))) }
        return out
    }
}

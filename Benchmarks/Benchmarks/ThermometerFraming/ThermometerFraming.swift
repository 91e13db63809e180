// Decode throughput of the thermometer codecs (module Thermometers): bytes as a serial read
// delivers them → raw values and rejections. One iteration decodes a stream of 1000 valid frames
// (scalingFactor .kilo): throughput printed with `--scale` is frames/s; time and allocation counts
// are per 1000 frames.
import Benchmark
import Thermometers

/// Frames per iteration; equals the scaling factor so that scaled metrics read "per frame".
let framesPerIteration = 1_000

/// A receive stream: `framesPerIteration` valid frames; with `garbage`, each frame is preceded by 1–8 noise
/// bytes (never the frame's first byte) and every 10th by a copy of a frame with a broken check.
func stream(_ frame: (Int) -> [UInt8], garbage: Bool) -> [UInt8] {
    var x: UInt32 = 0x2545_F491 // xorshift32: the same noise every run
    func noise() -> UInt8 {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5
        return UInt8(truncatingIfNeeded: x)
    }
    var out: [UInt8] = []
    for i in 0..<framesPerIteration {
        let f = frame(i)
        if garbage {
            for _ in 0..<(1 + Int(noise() % 8)) {
                var b = noise()
                if b == f[0] { b ^= 0x55 }
                out.append(b)
            }
            if i % 10 == 0 { var broken = f; broken[broken.count - 1] ^= 0xFF; out += broken }
        }
        out += f
    }
    return out
}

/// Splits a stream into reads of `size` bytes (a frame may straddle two reads).
func reads(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

/// Decodes every read and returns (raw values, rejections).
func decodeAll<C: ThermometerCodec>(_ codec: inout C, _ chunks: [[UInt8]]) -> (values: Int, rejections: Int) {
    var values = 0, rejections = 0
    for chunk in chunks {
        for item in codec.decode(chunk) {
            if case .raw = item { values += 1 } else { rejections += 1 }
        }
    }
    return (values, rejections)
}

/// LU90614 body-mode reply `i`: 35.00–36.99 °C.
func lu90614Reply(_ i: Int) -> [UInt8] { LU90614Codec.reply(mode: .body, hundredths: 3_500 + i % 200) }

/// Modbus RTU reply `i` to "read input register" (function 4) of slave 1: 35.0–36.9 °C in tenths.
func modbusReply(_ i: Int) -> [UInt8] {
    ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [UInt16(350 + i % 20)])
}

func benchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo, maxDuration: .seconds(1), maxIterations: 5_000,
        // Allocations per frame are deterministic: more than 5 % above the recorded baseline is a
        // regression (`swift package benchmark thresholds check`). Time is not gated here: the
        // benchmark machine is shared and wall-clock figures vary by tens of percent.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p50: 5, .p90: 5])])

    let cases: [(name: String, make: () -> any ThermometerCodec, frame: (Int) -> [UInt8], garbage: Bool, read: Int)] = [
        ("LU90614-reply-per-read", { LU90614Codec(mode: .body) }, lu90614Reply, false, LU90614Codec.replyLength),
        ("LU90614-64B-reads-with-garbage", { LU90614Codec(mode: .body) }, lu90614Reply, true, 64),
        ("ModbusRTU-reply-per-read", { ModbusRTUCodec(slave: 1, function: 4, register: 0, signed: true) },
         modbusReply, false, ModbusRTUCodec.responseLength),
        ("ModbusRTU-64B-reads-with-garbage", { ModbusRTUCodec(slave: 1, function: 4, register: 0, signed: true) },
         modbusReply, true, 64),
    ]
    for c in cases {
        let chunks = reads(stream(c.frame, garbage: c.garbage), size: c.read)
        Benchmark(c.name, configuration: configuration) { benchmark in
            var codec = c.make()
            benchmark.startMeasurement()
            let (values, _) = decodeAll(&codec, chunks)
            benchmark.stopMeasurement()
            if values != framesPerIteration { benchmark.error("decoded \(values) values, expected \(framesPerIteration)") }
        }
    }
}

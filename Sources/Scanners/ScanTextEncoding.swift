import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The character encoding a scanner model sends its payloads in (catalog `[protocol] encoding`).
/// Chinese scanners commonly send GBK.
public enum ScanTextEncoding: String, Sendable, Hashable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case gbk = "gbk"

    /// The glibc iconv name of the encoding.
    public var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .gbk: return "GBK"
        }
    }

    /// Decodes `bytes` strictly; on failure returns the offset of the first byte that is invalid
    /// (or incomplete at the end).
    public func decode(_ bytes: [UInt8]) -> Result<String, CharsetDecodingFailure> {
        switch self {
        case .utf8: return CharsetDecoder.decodeUTF8(bytes)
        case .gbk: return CharsetDecoder.decode(bytes, charset: iconvName)
        }
    }
}

/// Why bytes could not be decoded in a charset.
public struct CharsetDecodingFailure: Error, Sendable, Hashable {
    public var charset: String
    /// Offset of the first invalid or incomplete byte; -1 if the charset is unavailable.
    public var offset: Int
}

/// Strict decoding of byte strings with glibc's iconv (GBK, CP1252, CP437 …) and the standard
/// library's UTF-8 validation. Pure: no I/O beyond iconv loading its gconv module once.
public enum CharsetDecoder {
    /// Strict UTF-8: no replacement characters; reports the offset of the first bad byte.
    public static func decodeUTF8(_ bytes: [UInt8]) -> Result<String, CharsetDecodingFailure> {
        if let s = String(validating: bytes, as: UTF8.self) { return .success(s) }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
            case .emptyInput:
                return .failure(CharsetDecodingFailure(charset: "UTF-8", offset: offset))
            case .error:
                return .failure(CharsetDecodingFailure(charset: "UTF-8", offset: offset))
            }
        }
    }

    /// Decodes `bytes` from `charset` (an iconv name) to a String; strict (no transliteration).
    public static func decode(_ bytes: [UInt8], charset: String) -> Result<String, CharsetDecodingFailure> {
        if bytes.isEmpty { return .success("") }
        guard let (consumed, utf8) = convert(bytes, from: charset, to: "UTF-8") else {
            return .failure(CharsetDecodingFailure(charset: charset, offset: -1))
        }
        guard consumed == bytes.count, let s = String(validating: utf8, as: UTF8.self) else {
            return .failure(CharsetDecodingFailure(charset: charset, offset: consumed))
        }
        return .success(s)
    }

    /// Encodes `text` into `charset` with iconv; nil if a character has no representation there.
    public static func encode(_ text: String, charset: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        guard let (consumed, output) = convert(bytes, from: "UTF-8", to: charset), consumed == bytes.count else { return nil }
        return output
    }

    /// One strict iconv pass: how many input bytes converted before the first error (all of them
    /// on success) and the output so far; nil if iconv does not know one of the charsets.
    private static func convert(_ bytes: [UInt8], from: String, to: String) -> (consumed: Int, output: [UInt8])? {
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        // None of the charsets used takes more than 4 output bytes per input byte.
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let (consumed, produced) = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return (inBuf.count - inLeft, outBuf.count - outLeft)
            }
        }
        return (consumed, output[..<produced].map { UInt8(bitPattern: $0) })
    }
}

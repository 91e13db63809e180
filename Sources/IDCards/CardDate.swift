import Foundation

/// A calendar date as the card writes it (`YYYYMMDD`), validated (a real Gregorian date).
public struct CardDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(IDCardRejection) {
        guard (1900...2199).contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day) else {
            throw IDCardRejection(.badDate, "not a calendar date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses 8 ASCII digits `YYYYMMDD`.
    public init(yyyymmdd text: String) throws(IDCardRejection) {
        let chars = Array(text.utf8)
        guard chars.count == 8, chars.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw IDCardRejection(.badDate, "not 8 digits")
        }
        func number(_ r: Range<Int>) -> Int { chars[r].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        try self.init(year: number(0..<4), month: number(4..<6), day: number(6..<8))
    }

    /// The date `date` falls on in `timeZone` (the gate's local date decides expiry).
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year ?? 1970
        month = c.month ?? 1
        day = c.day ?? 1
    }

    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CardDate, b: CardDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYYMMDD`.
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return pad(year, 4) + pad(month, 2) + pad(day, 2)
    }
}

@testable import CentralServer
import CentralStore
import CheckpointCore
import Foundation
import Testing

/// The watch-list CSV a clerk uploads, parsed and validated row by row (pure).
@Suite("Watch-list CSV upload")
struct WatchListCSVTests {
    @Test("Valid rows become changes: colours in English or Chinese, isolation words, quoted fields, a day or a time as valid_until")
    func validRows() throws {
        let text = "\u{FEFF}credential,colour,isolation,reason,valid_until\r\n"
            + "HC-1,red,true,居家隔离,2026-12-01\r\n"
            + "\"HC,2\",黄,否,\"他说\"\"复查\"\"\",\r\n"
            + "\r\n"
            + "HC-3,Blue,,,2026-12-01T08:00:00Z\r\n"
        let csv = WatchListCSV(text)
        #expect(csv.isValid)
        #expect(csv.changes.map(\.credential) == ["HC-1", "HC,2", "HC-3"])
        #expect(csv.changes.map(\.colour) == [.red, .yellow, .blue])
        #expect(csv.changes.map(\.isolation) == [true, false, false])
        #expect(csv.changes[1].reason == "他说\"复查\"")
        // A day is valid through its end, +08:00: 2026-12-01T16:00:00Z.
        #expect(csv.changes[0].validUntil == CheckpointJSON.parseTimestamp("2026-12-01T16:00:00Z"))
        #expect(csv.changes[1].validUntil == nil)
        #expect(csv.rows.map(\.line) == [2, 3, 5])
    }

    @Test("Each bad row is reported with its line and a reason, and the file is not valid")
    func badRows() {
        let text = "credential,colour,isolation,reason,valid_until\n"
            + "HC-1,purple,false,,\n" + "HC-2,red,maybe,,\n" + ",red,false,,\n" + "HC-4,red,false,,tomorrow\n"
            + "HC-5,red,false\n" + "HC-6,green,false,,\n" + "HC-6,green,false,,\n"
        let csv = WatchListCSV(text)
        #expect(!csv.isValid)
        #expect(csv.rows.filter { $0.error != nil }.map(\.line) == [2, 3, 4, 5, 6, 8])
        #expect(csv.rows.first?.error?.contains("purple") == true)
        #expect(csv.rows.last?.error == "the credential is listed twice")
        #expect(csv.changes.map(\.credential) == ["HC-6"])
    }

    @Test("A file without the header row is refused as a whole")
    func missingHeader() {
        let csv = WatchListCSV("HC-1,red,true,,\n")
        #expect(!csv.isValid)
        #expect(csv.fileError?.contains("header") == true)
    }
}

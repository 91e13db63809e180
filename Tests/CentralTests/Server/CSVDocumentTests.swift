import CentralServer
import Foundation
import Testing

@Suite("CSV documents (RFC 4180, UTF-8 with BOM)")
struct CSVDocumentTests {
    @Test("Fields with commas, quotes or line breaks are quoted with inner quotes doubled; others are left alone")
    func quoting() {
        #expect(CSVDocument.quote("plain") == "plain")
        #expect(CSVDocument.quote("a,b") == "\"a,b\"")
        #expect(CSVDocument.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVDocument.quote("cr\r\nlf") == "\"cr\r\nlf\"")
        let data = CSVDocument(header: ["a"], rows: [["plain"], ["a,b"], ["say \"hi\""], ["two\nlines"], [""]]).encoded()
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self)
                == "a\r\nplain\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\r\n")
    }

    @Test("Cells a spreadsheet would evaluate get a leading apostrophe; numbers do not")
    func formulaNeutralising() {
        #expect(CSVDocument.neutralizeFormula("=1+1") == "'=1+1")
        #expect(CSVDocument.neutralizeFormula("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVDocument.neutralizeFormula("+cmd") == "'+cmd")
        #expect(CSVDocument.neutralizeFormula("-5.25") == "-5.25")
        #expect(CSVDocument.neutralizeFormula("+86") == "+86")
        #expect(CSVDocument.neutralizeFormula("张三") == "张三")
    }

    @Test("A document is BOM, header, rows, each record ended by CRLF, in UTF-8")
    func encoding() {
        let data = CSVDocument(header: ["name", "note"], rows: [["张三", "a,b"], ["x", ""]]).encoded()
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self) == "name,note\r\n张三,\"a,b\"\r\nx,\r\n")
    }
}

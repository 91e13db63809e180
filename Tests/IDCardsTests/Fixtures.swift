import Foundation
import IDCards
import TestSupport

/// The repository's Devices/ directory.
let shippedCatalogPath = BuildProducts.packageRoot.appendingPathComponent("Devices").path

/// A made-up card with a valid check character (the number is built, not a real person's).
func sampleCard(first17: String = "11010119900307123", validUntil: String? = "20350101") throws -> IDCard {
    let check = String(UnicodeScalar(CitizenNumber.checkCharacter(forFirst17: Array(first17.utf8))))
    return IDCard(name: "王小明", sex: .male, nationCode: "01", birthDate: try CardDate(yyyymmdd: "19900307"),
                  address: "北京市东城区景山前街4号", citizenNumber: try CitizenNumber(first17 + check),
                  issuingAuthority: "北京市公安局东城分局", validFrom: try CardDate(yyyymmdd: "20150101"),
                  validUntil: try validUntil.map { v throws(IDCardRejection) in try CardDate(yyyymmdd: v) })
}

import IDCards

/// Made-up cards for the simulated ID reader (`present resident|visitor|expired`). The numbers are
/// built with a valid check character; they belong to nobody.
public enum SampleIDCards {
    public static let names = ["resident", "visitor", "expired"]

    /// The card called `name`, or nil.
    public static func card(_ name: String) -> IDCard? {
        switch name {
        case "resident":
            return make("王小明", .male, "01", "19900307", "北京市东城区景山前街4号院2号楼301室", "11010119900307123",
                        "北京市公安局东城分局", "20150101", "20350101")
        case "visitor":
            return make("李秀英", .female, "03", "19450812", "宁夏回族自治区银川市兴庆区解放东街8号", "64010419450812002",
                        "银川市公安局兴庆区分局", "20100601", nil)
        case "expired":
            return make("赵建国", .male, "01", "19800101", "河北省石家庄市长安区中山东路100号", "13010219800101005",
                        "石家庄市公安局长安分局", "20000101", "20200101")
        default:
            return nil
        }
    }

    private static func make(_ name: String, _ sex: IDCard.Sex, _ nation: String, _ birth: String, _ address: String,
                             _ first17: String, _ authority: String, _ from: String, _ until: String?) -> IDCard? {
        let number = first17 + String(UnicodeScalar(CitizenNumber.checkCharacter(forFirst17: Array(first17.utf8))))
        guard let n = try? CitizenNumber(number), let birthDate = try? CardDate(yyyymmdd: birth),
              let fromDate = try? CardDate(yyyymmdd: from) else { return nil }
        let untilDate = until.flatMap { try? CardDate(yyyymmdd: $0) }
        return IDCard(name: name, sex: sex, nationCode: nation, birthDate: birthDate, address: address, citizenNumber: n,
                      issuingAuthority: authority, validFrom: fromDate, validUntil: untilDate)
    }
}

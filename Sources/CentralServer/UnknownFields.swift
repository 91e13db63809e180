import CheckpointCore
import Foundation

/// Finds the fields of a JSON body that its type does not know: the body is decoded, the value
/// encoded again, and every key of the body (at any depth, through arrays) that the encoding lacks
/// is unknown. A key whose value is `null` is ignored (an absent optional encodes as absent).
enum UnknownFields {
    /// The paths (`streets[0].communities[1].nmae`) of `body`'s keys absent from the encoding of `value`.
    static func paths(in body: Data, decodedAs value: some Encodable) throws -> [String] {
        let given = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        let known = try JSONSerialization.jsonObject(with: try CheckpointJSON.encoder().encode(value), options: [.fragmentsAllowed])
        var found: [String] = []
        compare(given, known, path: "", into: &found)
        return found
    }

    private static func compare(_ given: Any, _ known: Any, path: String, into found: inout [String]) {
        if let object = given as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            for key in object.keys.sorted() where !(object[key] is NSNull) {
                let next = path.isEmpty ? key : path + "." + key
                guard let knownValue = knownObject[key] else {
                    found.append(next)
                    continue
                }
                compare(object[key]!, knownValue, path: next, into: &found)
            }
        } else if let array = given as? [Any], let knownArray = known as? [Any] {
            for (index, element) in array.enumerated() where index < knownArray.count {
                compare(element, knownArray[index], path: "\(path)[\(index)]", into: &found)
            }
        }
    }
}

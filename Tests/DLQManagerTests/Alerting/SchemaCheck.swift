import Foundation

/// Checks a JSON document against the subset of JSON Schema that `Config/webhook-payload.schema.json` uses
/// (`type`, `required`, `properties`, `additionalProperties`, `enum`, `const`, `minimum`, `minLength`), so the
/// documented schema and the payload the sink sends cannot drift apart unnoticed.
///
/// Returns every violation with its JSON path; an empty list means the document conforms.
enum SchemaCheck {
    static func violations(of document: JSONDocument, against schema: JSONDocument, at path: String = "$") -> [String] {
        var problems: [String] = []
        if let types = typeNames(schema["type"]), !types.contains(where: { matches(document, type: $0) }) {
            return ["\(path): expected \(types.joined(separator: " or ")), got \(document)"]
        }
        if let allowed = schema["enum"].array, !allowed.contains(document) {
            problems.append("\(path): \(document) is not one of \(allowed)")
        }
        if !schema["const"].isMissing, schema["const"] != document {
            problems.append("\(path): expected \(schema["const"]), got \(document)")
        }
        if case .int(let minimum) = schema["minimum"], case .int(let value) = document, value < minimum {
            problems.append("\(path): \(value) is below \(minimum)")
        }
        if case .int(let minLength) = schema["minLength"], case .string(let value) = document, value.count < minLength {
            problems.append("\(path): \"\(value)\" is shorter than \(minLength)")
        }
        guard case .object(let members) = document else { return problems }
        for case .string(let name) in schema["required"].array ?? [] where members[name] == nil {
            problems.append("\(path): required \(name) is missing")
        }
        let properties = schema["properties"]
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let propertySchema = properties[name]
            if !propertySchema.isMissing {
                problems += violations(of: value, against: propertySchema, at: "\(path).\(name)")
            } else if case .bool(false) = schema["additionalProperties"] {
                problems.append("\(path): \(name) is not allowed")
            } else if case .object = schema["additionalProperties"] {
                problems += violations(of: value, against: schema["additionalProperties"], at: "\(path).\(name)")
            }
        }
        return problems
    }

    private static func typeNames(_ value: JSONDocument) -> [String]? {
        switch value {
        case .string(let name): [name]
        case .array(let names): names.compactMap(\.string)
        default: nil
        }
    }

    private static func matches(_ document: JSONDocument, type: String) -> Bool {
        switch (type, document) {
        case ("null", .null), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
             ("string", .string), ("array", .array), ("object", .object):
            true
        default:
            false
        }
    }
}

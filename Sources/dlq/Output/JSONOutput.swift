import Foundation

/// Prints one JSON document on standard output, keys sorted so scripts and diffs see a stable shape.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

func iso8601(_ date: Date) -> String {
    date.formatted(.iso8601)
}

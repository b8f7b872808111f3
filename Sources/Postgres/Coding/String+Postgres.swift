#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Text travels as its UTF-8 bytes (the connection's client_encoding is always UTF8). Decoding also accepts
// the other types whose natural Swift form is a string, so `SELECT payload::jsonb` or `sum(x)` can be read
// without a cast in SQL.

extension String: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .text }
    public static var postgresArrayDataType: PostgresDataType { .textArray }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(contentsOf: utf8)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        switch type {
        case .text, .varchar, .bpchar, .name, .unknown, .json, .xml, .char:
            self = String(decoding: bytes, as: UTF8.self)
        case .jsonb:
            // Binary jsonb is a version byte (1) followed by the JSON text.
            guard bytes.first == 1 else {
                throw PostgresError.decoding("unsupported jsonb binary version")
            }
            self = String(decoding: bytes.dropFirst(), as: UTF8.self)
        case .uuid:
            self = try UUID(postgresBinary: bytes, type: type).uuidString.lowercased()
        case .numeric:
            self = try NumericFormatting.string(from: bytes)
        default:
            throw PostgresError.decoding("cannot decode \(type) as String")
        }
    }
}

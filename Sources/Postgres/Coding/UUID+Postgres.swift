#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// A uuid is its 16 bytes in network order, the same layout as Foundation's `uuid_t`.

extension UUID: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .uuid }
    public static var postgresArrayDataType: PostgresDataType { .uuidArray }

    public func encode(into bytes: inout [UInt8]) {
        Swift.withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        guard type == .uuid, bytes.count == 16 else {
            throw PostgresError.decoding("cannot decode \(type) as UUID")
        }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        self = UUID(uuid: raw)
    }
}

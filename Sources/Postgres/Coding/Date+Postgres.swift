#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// timestamptz is an int64 count of microseconds since 2000-01-01 00:00:00 UTC; PostgreSQL stores nothing
// finer, so a Date is rounded to the nearest microsecond on the way in. 'infinity' and '-infinity' are
// Int64.max and Int64.min.

/// Seconds from 2001-01-01 (Foundation's reference date) back to 2000-01-01 (PostgreSQL's): 366 days.
private let postgresEpochOffsetMicroseconds: Int64 = 366 * 86_400 * 1_000_000

extension Date: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .timestamptz }
    public static var postgresArrayDataType: PostgresDataType { .timestamptzArray }

    public func encode(into bytes: inout [UInt8]) {
        let seconds = timeIntervalSinceReferenceDate
        let microseconds: Int64
        if seconds.isNaN {
            preconditionFailure("a Date with a NaN time interval cannot be stored")
        } else if seconds * 1_000_000 >= Double(Int64.max - postgresEpochOffsetMicroseconds) {
            microseconds = .max
        } else if seconds * 1_000_000 <= Double(Int64.min + postgresEpochOffsetMicroseconds) {
            microseconds = .min
        } else {
            microseconds = Int64((seconds * 1_000_000).rounded()) + postgresEpochOffsetMicroseconds
        }
        bytes.appendBigEndian(microseconds)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        switch type {
        case .timestamptz, .timestamp:
            // A timestamp without time zone is read as UTC, the only zone that makes it unambiguous.
            let microseconds = try BinaryReader.integer(Int64.self, from: bytes, type: type)
            switch microseconds {
            case .max: self = .distantFuture
            case .min: self = .distantPast
            default:
                let sinceReference = microseconds - postgresEpochOffsetMicroseconds
                self = Date(timeIntervalSinceReferenceDate: Double(sinceReference) / 1_000_000)
            }
        case .date:
            let days = try BinaryReader.integer(Int32.self, from: bytes, type: type)
            switch days {
            case .max: self = .distantFuture
            case .min: self = .distantPast
            default: self = Date(timeIntervalSinceReferenceDate: Double(Int64(days) * 86_400 - 366 * 86_400))
            }
        default:
            throw PostgresError.decoding("cannot decode \(type) as Date")
        }
    }
}

import Foundation

/// One plain-SQL schema change from `Migrations/`, applied once, in file-name order.
public struct Migration: Sendable {
    /// The file name, e.g. `0001_dead_letters.sql`; also the key recorded as applied.
    public var name: String
    public var sql: String

    /// Detects an applied migration whose file was edited afterwards, which would leave databases that ran the
    /// old text different from new ones. FNV-1a is enough: this guards against accidents, not attackers.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

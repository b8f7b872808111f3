/// Identifies an error group: dead letters that failed the same way, in the same place, whatever ids and values
/// their messages carried.
///
/// SHA-256, truncated to 128 bits, over the exception class, the normalized message (``MessageNormalizer``), the
/// original topic and the consumer group. Each component is written as a presence byte (0 absent, 1 present) and,
/// when present, its UTF-8 length as 8 big-endian bytes and then the bytes, so no two different component lists
/// encode alike (`"a" + "bc"` is not `"ab" + "c"`, absent is not empty). The value is stored in the database and
/// compared across processes, machines and releases: changing anything here splits every existing group, which the
/// tests catch with a hard-coded fingerprint. 128 bits keep accidental collisions out of reach for any number of
/// groups a DLQ will see.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits.
    public var value: String

    /// A fingerprint read back from the database, taken as stored.
    public init(value: String) {
        self.value = value
    }

    public static func of(_ letter: DeadLetter) -> Fingerprint {
        of(letter, messagePattern: letter.errorMessage.map(MessageNormalizer.normalize))
    }

    /// The same, for a caller that already normalized the letter's message (ingest keeps the pattern too,
    /// and normalizing twice per record would double that work on the hot path).
    public static func of(_ letter: DeadLetter, messagePattern: String?) -> Fingerprint {
        let components = [
            letter.exceptionClass,
            messagePattern,
            letter.originalTopic,
            letter.consumerGroup,
        ]
        var input: [UInt8] = []
        input.reserveCapacity(components.reduce(4 * 9) { $0 + ($1?.utf8.count ?? 0) })
        for component in components {
            guard let component else {
                input.append(0)
                continue
            }
            input.append(1)
            let count = UInt64(component.utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) {
                input.append(UInt8(truncatingIfNeeded: count >> UInt64(shift)))
            }
            input.append(contentsOf: component.utf8)
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in SHA256.hash(input).prefix(16) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return Fingerprint(value: String(decoding: hex, as: UTF8.self))
    }

    public var description: String { value }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import DLQCore
import Testing

@Suite("Storable text and timestamps")
struct TextRepairTests {
    @Test func validUTF8IsUnchanged() {
        let repaired = StorableText.decode("caf\u{E9} \u{1F600}".utf8Bytes)
        #expect(repaired.text == "caf\u{E9} \u{1F600}")
        #expect(!repaired.wasRepaired)
    }

    @Test func invalidSequencesBecomeReplacementCharacters() {
        let repaired = StorableText.decode([0x61, 0xC3, 0x28, 0x62])
        #expect(repaired.text == "a\u{FFFD}(b")
        #expect(repaired.replacedInvalidUTF8)
        #expect(!repaired.removedNUL)
    }

    @Test func nulIsRemoved() {
        let repaired = StorableText.sanitize("a\u{0}b\u{0}")
        #expect(repaired.text == "ab")
        #expect(repaired.removedNUL)
    }

    @Test(arguments: [
        ("2026-01-31T12:34:56Z", 1_769_862_896.0),
        ("2026-01-31T12:34:56.789Z", 1_769_862_896.789),
        ("2026-01-31t12:34:56.789123456z", 1_769_862_896.789123456),
        ("2026-01-31 13:34:56+01:00", 1_769_862_896.0),
        ("2026-01-31T07:04:56-0530", 1_769_862_896.0),
        ("2026-01-31T14:34:56+02", 1_769_862_896.0),
        ("2026-01-31T12:34Z", 1_769_862_840.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parsesISO8601(text: String, seconds: Double) throws {
        let parsed = try #require(ISO8601Timestamp.parse(text))
        #expect(abs(parsed.date.timeIntervalSince1970 - seconds) < 0.000_001)
        #expect(parsed.hadZone)
    }

    @Test(arguments: ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31", "yesterday", "2026-01-31T12:34:56.Z", "2026-01-31T12:34:56Zjunk"])
    func rejectsMalformedTimestamps(text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }

    @Test func timestampWithoutZoneIsUTCAndSaysSo() throws {
        let parsed = try #require(ISO8601Timestamp.parse("2026-01-31T12:34:56"))
        #expect(parsed.date.timeIntervalSince1970 == 1_769_862_896)
        #expect(!parsed.hadZone)
    }

    @Test func formatsEpochMillisecondsAsISO8601() {
        #expect(ISO8601Timestamp.format(epochMilliseconds: 1_769_862_896_789) == "2026-01-31T12:34:56.789Z")
        #expect(ISO8601Timestamp.format(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}

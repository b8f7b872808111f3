#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which stored dead letters an operator means: the one filter language of `list`, `groups`, `replay`,
/// `resolve` and `purge`.
///
/// Every field narrows the selection (AND); several values for one field are alternatives (OR); an empty field
/// does not narrow. Written as `field=value` terms, e.g. `original_topic=orders class=transient since=2h`; see
/// ``DeadLetterSelection/init(parsing:now:)`` for the grammar and ``description`` for the canonical form.
public struct DeadLetterSelection: Sendable, Equatable {
    /// Dead letter ids, as inclusive ranges (a single id is a range of one).
    public var ids: [ClosedRange<Int64>] = []
    public var dlqTopics: [String] = []
    public var originalTopics: [String] = []
    /// Classification classes (`transient`, `poison`...).
    public var errorClasses: [String] = []
    /// Names of the classification rules that matched (`default` when none did).
    public var ruleNames: [String] = []
    /// Exception class names, exactly.
    public var exceptionClasses: [String] = []
    /// Fingerprints or unique-enough prefixes of them (lowercase hex).
    public var fingerprints: [String] = []
    public var statuses: [DeadLetterStatus] = []
    public var formats: [EnvelopeFormat] = []
    /// Record keys, compared byte for byte with the UTF-8 of the text.
    public var keys: [String] = []
    /// Every pair must be present among the record's headers (name exact, value byte for byte).
    public var headers: [HeaderCondition] = []
    /// 32 lowercase hex digits.
    public var traceIDs: [String] = []
    /// Ingested at or after.
    public var since: Date?
    /// Ingested before.
    public var until: Date?

    public init() {}

    /// Whether nothing narrows the selection: it means every stored dead letter.
    public var isEverything: Bool { self == DeadLetterSelection() }

    /// A header a selected dead letter must carry.
    public struct HeaderCondition: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}

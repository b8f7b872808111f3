/// The headers a replay adds to every record it publishes: which job sent it, how many times the event has been
/// replayed, and the dead letter it came from.
///
/// When a replayed event fails again and is dead-lettered anew, consumers that copy the failed record's headers
/// (Spring, Connect, Streams all do) bring these back, so the new dead letter is recognised as a recurrence and
/// the replay limit can follow the event across its incarnations.
public struct ReplayLineage: Sendable, Equatable {
    public static let jobHeader = "dlq-replay-job"
    public static let countHeader = "dlq-replay-count"
    /// The DLQ coordinate of the dead letter replayed, as `topic:partition:offset`.
    public static let originHeader = "dlq-replay-origin"
    /// What every lineage header name starts with: a replay drops earlier lineage before adding its own.
    public static let headerPrefix = "dlq-replay-"

    public var jobID: Int64
    /// Replays of the event so far, this one included.
    public var count: Int32
    public var origin: DLQCoordinate

    public init(jobID: Int64, count: Int32, origin: DLQCoordinate) {
        self.jobID = jobID
        self.count = count
        self.origin = origin
    }

    /// The lineage a record carries, last header wins; nil unless job, count and origin are all readable.
    public init?(headers: [RecordHeader]) {
        func last(_ name: String) -> String? {
            headers.last { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
        }
        guard let job = last(Self.jobHeader).flatMap({ Int64($0) }),
              let count = last(Self.countHeader).flatMap({ Int32($0) }), count > 0,
              let origin = last(Self.originHeader).flatMap(DLQCoordinate.init(text:))
        else { return nil }
        self.init(jobID: job, count: count, origin: origin)
    }

    public var headers: [RecordHeader] {
        [
            RecordHeader(name: Self.jobHeader, text: String(jobID)),
            RecordHeader(name: Self.countHeader, text: String(count)),
            RecordHeader(name: Self.originHeader, text: origin.text),
        ]
    }
}

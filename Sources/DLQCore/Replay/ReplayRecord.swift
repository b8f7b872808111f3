/// What a replay publishes for one dead letter: the original key and event bytes, the original headers without
/// the DLQ's failure headers, lineage, and a `traceparent` that continues the failed event's trace.
public struct ReplayRecord: Sendable, Equatable {
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    /// Header name prefixes that describe the failure, not the event: Spring, Connect, Streams, the plain-header
    /// convention, and lineage of an earlier replay (replaced by this one's).
    public static let failureHeaderPrefixes = [
        "kafka_dlt-", "__connect.errors.", "__streams.errors.", "dead-letter-", ReplayLineage.headerPrefix,
    ]

    /// - Parameters:
    ///   - newSpanID: 16 lowercase hex digits, the replay's own span in the continued trace.
    public init(replaying letter: DeadLetter, lineage: ReplayLineage, newSpanID: String) {
        key = letter.key
        value = letter.originalEvent
        var headers = letter.headers.filter { header in
            !Self.failureHeaderPrefixes.contains { header.name.lowercased().hasPrefix($0) }
        }
        if let traceID = letter.traceID, let spanID = letter.spanID,
           let context = TraceContext(traceID: traceID, spanID: spanID, isSampled: Self.sampledFlag(in: letter.headers)) {
            headers.removeAll { $0.name.lowercased() == "traceparent" }
            headers.append(RecordHeader(name: "traceparent", text: context.traceparent(continuingWithSpanID: newSpanID)))
        }
        headers.append(contentsOf: lineage.headers)
        self.headers = headers
    }

    /// The sampled decision of the stored `traceparent`, if there is one; otherwise unknown.
    private static func sampledFlag(in headers: [RecordHeader]) -> Bool? {
        guard let value = headers.last(where: { $0.name.lowercased() == "traceparent" })?.value,
              let context = TraceContext(traceparent: String(decoding: value, as: UTF8.self))
        else { return nil }
        return context.isSampled
    }
}

import Foundation

/// One finished span, as the OTLP exporter sends it.
public struct TraceSpan: Sendable {
    /// OTLP's span kinds that the manager emits.
    public enum Kind: Int, Sendable {
        case producer = 4
        case consumer = 5
    }

    /// 32 lowercase hex digits.
    public var traceID: String
    /// 16 lowercase hex digits.
    public var spanID: String
    public var parentSpanID: String?
    public var name: String
    public var kind: Kind
    public var start: Date
    public var end: Date
    public var attributes: [(key: String, value: String)]
    /// Other spans this one is causally related to without being their child: an ingest span links to the
    /// failed event's span.
    public var links: [(traceID: String, spanID: String)]

    public init(
        traceID: String, spanID: String, parentSpanID: String? = nil, name: String, kind: Kind, start: Date, end: Date,
        attributes: [(key: String, value: String)] = [], links: [(traceID: String, spanID: String)] = []
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.attributes = attributes
        self.links = links
    }

    /// 16 or 32 random lowercase hex digits, never all zero.
    static func randomID(hexDigits: Int) -> String {
        var id = ""
        while id.count < hexDigits {
            let hex = String(UInt64.random(in: 1...UInt64.max), radix: 16)
            id += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return String(id.prefix(hexDigits))
    }

    /// The OTLP/HTTP JSON form of one span.
    var json: [String: Any] {
        func nanos(_ date: Date) -> String { String(UInt64(max(0, date.timeIntervalSince1970) * 1_000_000_000)) }
        var span: [String: Any] = [
            "traceId": traceID, "spanId": spanID, "name": name, "kind": kind.rawValue,
            "startTimeUnixNano": nanos(start), "endTimeUnixNano": nanos(end),
            "attributes": attributes.map { ["key": $0.key, "value": ["stringValue": $0.value]] },
        ]
        if let parentSpanID { span["parentSpanId"] = parentSpanID }
        if !links.isEmpty { span["links"] = links.map { ["traceId": $0.traceID, "spanId": $0.spanID] } }
        return span
    }
}

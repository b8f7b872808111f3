/// The trace a dead letter's original event belonged to, read from W3C Trace Context or B3 propagation headers.
///
/// Stored so an operator can find a dead letter by trace id, and so replay can continue the original trace
/// with a fresh `traceparent` (``traceparent(continuingWithSpanID:)``).
public struct TraceContext: Sendable, Hashable {
    /// 32 lowercase hex digits, never all zeros. B3's 64-bit ids are left-padded with zeros.
    public var traceID: String
    /// 16 lowercase hex digits, never all zeros.
    public var spanID: String
    /// The upstream sampling decision; nil when the headers deferred it.
    public var isSampled: Bool?

    /// Accepts `traceID`/`spanID` only in their canonical form (32 and 16 lowercase hex, not all zeros).
    public init?(traceID: String, spanID: String, isSampled: Bool? = nil) {
        guard TraceHexID.isCanonical(traceID, length: 32), TraceHexID.isCanonical(spanID, length: 16) else {
            return nil
        }
        self.init(validatedTraceID: traceID, spanID: spanID, isSampled: isSampled)
    }

    init(validatedTraceID traceID: String, spanID: String, isSampled: Bool?) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
    }

    /// Parses a W3C `traceparent` header value.
    public init?(traceparent: String) {
        guard case .success(let context) = TraceHeaderParser.parseTraceparent(traceparent) else { return nil }
        self = context
    }

    /// Parses a B3 single `b3` header value; nil also for the sampling-only forms (`0`, `1`, `d`), which carry no ids.
    public init?(b3: String) {
        guard case .success(let context?) = TraceHeaderParser.parseB3Single(b3) else { return nil }
        self = context
    }

    /// A version-00 `traceparent` value in this trace whose parent is `spanID`, e.g. for a replayed record.
    public func traceparent(continuingWithSpanID spanID: String) -> String {
        "00-\(traceID)-\(spanID)-\(isSampled == false ? "00" : "01")"
    }

    /// This context as a version-00 `traceparent` value.
    public var traceparent: String {
        traceparent(continuingWithSpanID: spanID)
    }
}

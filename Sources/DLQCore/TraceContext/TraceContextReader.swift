/// Finds the trace context in a set of headers, in precedence order: W3C `traceparent`, then B3 single `b3`,
/// then B3 multi `X-B3-*`.
///
/// W3C wins because it is what OpenTelemetry propagates by default; B3 headers next to it are usually a
/// compatibility copy. A header that fails validation is noted and the next format is tried.
enum TraceContextReader {
    /// - Parameter source: prefixed to a header's name in notes to say where it came from,
    ///   e.g. `"header "` or `"originalHeaders."`.
    static func read(_ headers: HeaderLookup, source: String, notes: inout DecodeNotes) -> TraceContext? {
        func text(_ name: String) -> (name: String, text: String)? {
            guard let (actualName, bytes) = headers.valueIgnoringCase(name) else { return nil }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                notes.add("\(source)\(actualName): not valid UTF-8; ignored")
                return nil
            }
            return (actualName, text)
        }

        if let (name, traceparent) = text("traceparent") {
            switch TraceHeaderParser.parseTraceparent(traceparent) {
            case .success(let context):
                if let (stateName, tracestate) = text("tracestate"),
                   let error = TraceHeaderParser.validateTracestate(tracestate) {
                    notes.add("\(source)\(stateName): invalid (\(error.reason)); ignored")
                }
                return context
            case .failure(let error):
                notes.add("\(source)\(name): invalid (\(error.reason)); ignored")
            }
        }

        if let (name, b3) = text("b3") {
            switch TraceHeaderParser.parseB3Single(b3) {
            case .success(let context?): return context
            case .success(nil): break
            case .failure(let error): notes.add("\(source)\(name): invalid (\(error.reason)); ignored")
            }
        }

        let traceID = text("X-B3-TraceId")
        let spanID = text("X-B3-SpanId")
        switch (traceID, spanID) {
        case let ((traceName, traceID)?, (_, spanID)?):
            switch TraceHeaderParser.parseB3Multi(
                traceID: traceID, spanID: spanID, sampled: text("X-B3-Sampled")?.text, flags: text("X-B3-Flags")?.text
            ) {
            case .success(let context): return context
            case .failure(let error): notes.add("\(source)\(traceName): invalid (\(error.reason)); ignored")
            }
        case let ((name, _)?, nil), let (nil, (name, _)?):
            notes.add("\(source)\(name): B3 needs both X-B3-TraceId and X-B3-SpanId; ignored")
        case (nil, nil):
            break
        }
        return nil
    }
}

/// Why a trace header value was rejected; becomes a decode note.
struct TraceHeaderError: Error, Sendable, Equatable {
    var reason: String
}

/// The daemon's HTTP endpoint (`/metrics`, `/healthz`, `/readyz`).
public struct HTTPSettings: Sendable {
    /// Host and port to bind; nil when the endpoint is off. Loopback by default: metrics can name topics and
    /// classes, which is nobody else's business unless configured so.
    public var host: String?
    public var port: Int
    /// How often the gauges read from the store (depth, oldest age, outbox backlog) are refreshed.
    public var refreshInterval: Duration
}

extension HTTPSettings {
    /// `http.address`: `host:port`, or `off`.
    static func address(_ text: String) throws -> (host: String?, port: Int) {
        if text == "off" { return (nil, 0) }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port), colon > text.startIndex
        else {
            throw ConfigurationError(key: "http.address", problem: "expected host:port (e.g. 127.0.0.1:9477) or off, got \"\(text)\"")
        }
        var host = text[..<colon]
        // An IPv6 address is written in brackets (`[::1]:9477`); the socket wants it without.
        if host.hasPrefix("["), host.hasSuffix("]"), host.count > 2 {
            host = host.dropFirst().dropLast()
        }
        return (String(host), port)
    }

    /// `host:port` as ``address(_:)`` reads it back, with an IPv6 host in brackets; nil when the endpoint is off.
    public var addressText: String? {
        host.map { $0.contains(":") ? "[\($0)]:\(port)" : "\($0):\(port)" }
    }
}

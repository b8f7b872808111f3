/// One notification as it goes over the wire: always a `POST` with a JSON body.
///
/// Prints without its URL, headers or body (`POST https://hooks.slack.com/… (412 bytes)`), because all three can
/// carry a credential: a Slack URL is one, a PagerDuty body holds the routing key.
public struct AlertHTTPRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Credentials this request carries (a routing key, a webhook URL, an HMAC key). ``AlertHTTPClient`` scrubs
    /// them, with the URL, from every reason it reports, because error texts and response bodies can echo them.
    public var secrets: [Secret]

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], secrets: [Secret] = []) {
        self.url = url
        self.headers = headers
        self.body = body
        self.secrets = secrets
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    public var description: String {
        "POST \(Self.origin(of: url))/… (\(body.count) bytes)"
    }

    public var debugDescription: String { description }

    /// `scheme://host[:port]`: enough to tell sinks apart in a log line, never the path a token hides in.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "<url>" }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // Userinfo (`user:password@`) is a credential too.
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        return "\(url[..<schemeEnd.upperBound])\(host)"
    }
}

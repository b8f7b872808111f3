import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Sends ``AlertHTTPRequest``s and classifies what happened into a ``DeliveryOutcome``. One instance is shared by
/// every sink: one connection pool, one event loop group (the process-wide singleton).
///
/// It makes exactly one attempt per call: retries, backoff and `Retry-After` are the dispatcher's, which also
/// owns rate limits and so is the only place that can pace a sink as a whole. For the same reason the underlying
/// client does not retry connection establishment, and does not follow redirects (a moved endpoint is a
/// configuration error, reported as ``DeliveryOutcome/failed(status:reason:)``).
///
/// Call ``shutdown()`` before dropping the last reference: AsyncHTTPClient requires it.
public final class AlertHTTPClient: Sendable {
    /// Response bodies are read up to this many bytes and the rest discarded: a receiver cannot make the daemon
    /// buffer an unbounded answer.
    public static let responseBodyLimit = 64 * 1024
    /// How much of a response body a reason quotes.
    public static let reasonBodyLimit = 500

    /// The longest one attempt may take, from connecting to the last byte of the response.
    public let timeout: Duration
    private let http: HTTPClient

    public init(timeout: Duration) {
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(timeout), read: Self.timeAmount(timeout)),
            decompression: .disabled
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        // The dispatcher sends up to a claim's worth of alerts at once, often to one host (PagerDuty's, say);
        // AsyncHTTPClient's default of 8 connections per host would serialise them behind a slow receiver.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// One attempt at delivering `request`. Never throws: every failure is an outcome the dispatcher acts on.
    public func deliver(_ request: AlertHTTPRequest) async -> DeliveryOutcome {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = .POST
        for header in request.headers {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        if !httpRequest.headers.contains(name: "User-Agent") {
            httpRequest.headers.add(name: "User-Agent", value: "dlq-manager")
        }
        httpRequest.body = .bytes(request.body)

        let response: HTTPClientResponse
        do {
            response = try await http.execute(httpRequest, timeout: Self.timeAmount(timeout))
        } catch {
            return Self.outcome(for: error, request: request, timeout: timeout)
        }
        let body = await Self.readBody(of: response)
        return Self.outcome(
            status: Int(response.status.code),
            retryAfter: response.headers.first(name: "Retry-After"),
            body: body,
            request: request,
            now: Date()
        )
    }

    /// Closes pooled connections. Safe to call more than once.
    public func shutdown() async {
        // The only error is "already shut down", which is the state asked for.
        try? await http.shutdown()
    }

    // MARK: - Classification

    static func outcome(
        status: Int, retryAfter: String?, body: [UInt8], request: AlertHTTPRequest, now: Date
    ) -> DeliveryOutcome {
        if (200..<300).contains(status) { return .delivered(status: status) }
        let reason = scrub(bodyExcerpt(status: status, body: body), for: request)
        // 408 is the receiver saying the request did not arrive in time: the same as our own timeout.
        if status == 408 || status == 429 || (500..<600).contains(status) {
            return .retry(after: retryAfter.flatMap { RetryAfter.parse($0, now: now) }, reason: reason)
        }
        return .failed(status: status, reason: reason)
    }

    static func outcome(for error: any Error, request: AlertHTTPRequest, timeout: Duration) -> DeliveryOutcome {
        let reason = scrub(describe(error, timeout: timeout), for: request)
        if let clientError = error as? HTTPClientError, permanentClientErrors.contains(clientError) {
            return .failed(status: 0, reason: reason)
        }
        return .retry(after: nil, reason: reason)
    }

    /// Errors about the request itself rather than the network: sending it again cannot succeed.
    private static let permanentClientErrors: [HTTPClientError] = [
        .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath, .traceRequestWithBody,
    ]

    private static func bodyExcerpt(status: Int, body: [UInt8]) -> String {
        let excerpt = String(decoding: body.prefix(reasonBodyLimit), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let truncated = body.count > reasonBodyLimit ? "…" : ""
        return excerpt.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(excerpt)\(truncated)"
    }

    /// What went wrong, in words, built from the error's kind rather than its description where possible:
    /// descriptions of client errors tend to quote the URL.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        switch error {
        case let clientError as HTTPClientError:
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return "no response within \(timeout)"
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return "could not connect within \(timeout)"
            case .tlsHandshakeTimeout:
                return "TLS handshake timed out"
            case .remoteConnectionClosed:
                return "connection closed by the receiver before it answered"
            default:
                return "HTTP client error: \(clientError)"
            }
        case let connectionError as NIOConnectionError:
            if let dnsError = connectionError.dnsAError ?? connectionError.dnsAAAAError {
                return "could not resolve the host: \(dnsError)"
            }
            let causes = connectionError.connectionErrors.map { failure in
                (failure.error as? IOError).map(systemErrorText) ?? "\(failure.error)"
            }
            return "could not connect: " + (causes.isEmpty ? "no address to try" : causes.joined(separator: "; "))
        case let ioError as IOError:
            return "connection error: \(systemErrorText(ioError))"
        case let channelError as ChannelError:
            return "connection error: \(channelError)"
        default:
            return "\(type(of: error)): \(error)"
        }
    }

    /// `Connection refused (errno 111)`: NIO's own description of an `IOError` reads "connection reset" even
    /// when the connection was never made.
    private static func systemErrorText(_ error: IOError) -> String {
        "\(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
    }

    /// `text` without the request's URL, its path and query, or any of its secrets.
    static func scrub(_ text: String, for request: AlertHTTPRequest) -> String {
        var sensitive = request.secrets.map { $0.revealed() }
        sensitive.append(request.url)
        if let schemeEnd = request.url.range(of: "://"),
           let pathStart = request.url[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" })
        {
            let pathAndQuery = String(request.url[pathStart...])
            if pathAndQuery.count > 1 { sensitive.append(pathAndQuery) }
        }
        var scrubbed = text
        // Longest first, so a secret that contains another is removed whole rather than leaving its remainder.
        for value in sensitive.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            scrubbed = scrubbed.replacingOccurrences(of: value, with: AlertRedaction.marker)
        }
        return scrubbed
    }

    // MARK: - I/O helpers

    private static func readBody(of response: HTTPClientResponse) async -> [UInt8] {
        var collected: [UInt8] = []
        do {
            for try await chunk in response.body {
                collected.append(contentsOf: chunk.readableBytesView.prefix(responseBodyLimit - collected.count))
                // Stopping early drops the rest and the connection with it; a well-behaved receiver never gets here.
                if collected.count >= responseBodyLimit { break }
            }
        } catch {
            // The status already decided the outcome; a body cut short only shortens the reason.
        }
        return collected
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

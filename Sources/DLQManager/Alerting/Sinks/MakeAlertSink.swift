import Foundation

/// The sink for `settings`, after checking that it has what its type needs: an endpoint and a credential.
///
/// Checked here, at start, so a typo in the configuration fails the daemon's start naming the sink instead of
/// failing every delivery later.
///
/// - Throws: ``AlertSinkConfigurationError`` naming the sink.
public func makeAlertSink(_ settings: SinkSettings) throws -> any AlertSink {
    func problem(_ text: String) -> AlertSinkConfigurationError {
        AlertSinkConfigurationError(sinkName: settings.name, sinkType: settings.type, problem: text)
    }
    func presentSecret(_ what: String) throws -> String {
        guard let value = settings.secret?.revealed(), !value.isEmpty else {
            throw problem("no \(what): set the sink's secret (from the environment or a file)")
        }
        return value
    }
    guard !settings.name.isEmpty else { throw problem("the sink has no name") }

    switch settings.type {
    case .pagerduty:
        let url = settings.url ?? SinkSettings.pagerDutyEventsURL
        try checkHTTPURL(url, secret: false, problem: problem)
        _ = try presentSecret("routing key")
        guard !settings.source.isEmpty else { throw problem("no source: PagerDuty requires payload.source") }
        return PagerDutySink(settings: settings, url: url)

    case .slack:
        guard settings.url == nil else {
            throw problem("a Slack webhook URL is a credential: give it as the secret, not as url")
        }
        let url = try presentSecret("webhook URL")
        try checkHTTPURL(url, secret: true, problem: problem)
        return SlackSink(settings: settings)

    case .webhook:
        guard let url = settings.url, !url.isEmpty else { throw problem("no url") }
        try checkHTTPURL(url, secret: false, problem: problem)
        _ = try presentSecret("HMAC key")
        return WebhookSink(settings: settings, url: url)

    case .alertmanager:
        guard let base = settings.url, !base.isEmpty else {
            throw problem("no url: give Alertmanager's base URL, e.g. http://127.0.0.1:9093")
        }
        try checkHTTPURL(base, secret: false, problem: problem)
        guard settings.secret == nil else {
            throw problem("Alertmanager takes no secret; remove it rather than have it silently ignored")
        }
        return AlertmanagerSink(settings: settings, url: AlertmanagerSink.alertsURL(base: base))
    }
}

/// Rejects anything AsyncHTTPClient could not send to, so delivery never fails on the URL itself.
private func checkHTTPURL(
    _ text: String, secret: Bool, problem: (String) -> AlertSinkConfigurationError
) throws {
    // A secret URL is never quoted back: the error ends up in logs.
    let shown = secret ? "the URL" : "'\(text)'"
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
        throw problem("\(shown) is not a URL")
    }
    guard scheme == "http" || scheme == "https" else { throw problem("\(shown) is not an http or https URL") }
    guard let host = url.host, !host.isEmpty else { throw problem("\(shown) has no host") }
}

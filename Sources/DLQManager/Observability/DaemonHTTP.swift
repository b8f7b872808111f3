import Foundation
import Hummingbird
import Logging
import NIOCore
import Postgres
import Prometheus
import ServiceLifecycle

/// The daemon's HTTP surface: `/metrics` (Prometheus text format), `/healthz` (the process answers) and
/// `/readyz` (PostgreSQL reachable, partitions assigned, dispatcher running). Read-only: there is no route that
/// changes anything.
public enum DaemonHTTP {
    /// The routes, for the application and for tests that drive them in memory.
    public static func buildRouter(
        registry: PrometheusCollectorRegistry,
        health: DaemonHealth,
        databaseReachable: @escaping @Sendable () async -> Bool
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("healthz") { _, _ -> String in
            "ok\n"
        }
        router.get("readyz") { _, _ -> Response in
            var failing = health.failingChecks
            if await !databaseReachable() { failing.insert("PostgreSQL unreachable", at: 0) }
            let body = failing.isEmpty ? "ready\n" : failing.map { "not ready: \($0)\n" }.joined()
            return Response(
                status: failing.isEmpty ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        return router
    }

    /// The application serving ``buildRouter(registry:health:databaseReachable:)`` on `host:port`; a Service to
    /// run in the daemon's group.
    public static func buildApplication(
        host: String,
        port: Int,
        registry: PrometheusCollectorRegistry,
        health: DaemonHealth,
        database: DatabaseSettings,
        logger: Logger
    ) -> any Service {
        let checker = Database(settings: database, logger: logger)
        let router = buildRouter(registry: registry, health: health) {
            do {
                let rows = try await checker.connection().query("SELECT 1")
                return rows.count == 1
            } catch {
                await checker.close()
                return false
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "dlq"),
            onServerRunning: { channel in
                logger.info("http endpoint listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            },
            logger: logger
        )
    }
}

import DLQCore
import DLQManager
import Foundation
import Logging
import Postgres
import Testing

/// `dlq resolve`, `purge`, `audit`, `stats`, and selection terms on `list` and `groups`, run as an operator runs
/// them, against real PostgreSQL.
@Suite("Operator commands")
struct OperatorCommandTests {
    private typealias Failure = OperatorFixture.Failure

    /// Three declined payments (one group, on orders), one schema failure (orders), two timeouts on payments.
    private func storeMixedFailures(_ fixture: OperatorFixture) async throws -> (declined: [Int64], schema: Int64, payments: [Int64]) {
        let ids = try await fixture.store([
            Failure(message: "Card declined for order 1"),
            Failure(message: "Card declined for order 2"),
            Failure(message: "Card declined for order 3"),
            Failure(exception: "org.apache.kafka.common.errors.SerializationException", message: "Unknown magic byte"),
            Failure(dlqTopic: "payments.dlq", originalTopic: "payments", exception: "java.net.SocketTimeoutException", message: "timed out after 30000 ms"),
            Failure(dlqTopic: "payments.dlq", originalTopic: "payments", exception: "java.net.SocketTimeoutException", message: "timed out after 31000 ms"),
        ])
        return (Array(ids[0..<3]), ids[3], Array(ids[4..<6]))
    }

    private func ids(where condition: String, _ database: TestDatabase) async throws -> Set<Int64> {
        Set(try await database.query("SELECT id FROM dead_letters WHERE \(unsafeRaw: condition)").map { try $0.decode(Int64.self, column: "id") })
    }

    // MARK: resolve

    @Test("resolve by selection resolves exactly the selected dead letters, settles their group, queues a resolve for an alerted group, and is audited")
    func resolveBySelection() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        let declined = try await fixture.fingerprint(of: stored.declined[0])
        _ = try await database.query("UPDATE error_groups SET last_alerted_at = now() WHERE fingerprint = \(declined)")

        let result = try await fixture.dlq([
            "resolve", "exception=com.acme.PaymentDeclinedException", "--reason", "fixed in payments 2.4.1", "--yes", "--json",
        ])
        #expect(result.status == 0, "\(result.log)")
        #expect(try await ids(where: "status = 'resolved'", database) == Set(stored.declined))

        let group = try await database.query("SELECT status, unresolved_count FROM error_groups WHERE fingerprint = \(declined)").first
        #expect(try group?.decode(String.self, column: "status") == "resolved")
        #expect(try group?.decode(Int64.self, column: "unresolved_count") == 0)
        let outbox = try await database.query("SELECT fingerprint, kind FROM alert_outbox")
        #expect(try outbox.map { try $0.decode(String.self, column: "fingerprint") } == [declined])
        #expect(try outbox.first?.decode(String.self, column: "kind") == "resolve")

        let audit = try #require(try await AuditLog().list(limit: 10, on: database.connect()).first)
        #expect(audit.action == "resolve")
        #expect(audit.operatorName == "alice")
        #expect(audit.reason == "fixed in payments 2.4.1")
        #expect(audit.eventCount == 3)
        #expect(audit.outcome.hasPrefix("resolved 3"))
        #expect(audit.selection == "exception=com.acme.PaymentDeclinedException status=new,replayed")

        let report = OperatorFixture.json(result.output) as? [String: Any]
        #expect(((report?["outcome"] as? [String: Any])?["resolved"] as? NSNumber)?.intValue == 3)
        await database.drop()
    }

    @Test("resolving part of a group lowers its unresolved count and leaves it open, with no resolve queued")
    func resolvePartOfGroup() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        let timeouts = try await fixture.fingerprint(of: stored.payments[0])
        _ = try await database.query("UPDATE error_groups SET last_alerted_at = now()")

        let result = try await fixture.dlq(["resolve", "id=\(stored.payments[0])", "--reason", "one-off", "--yes"])
        #expect(result.status == 0, "\(result.log)")
        let group = try await database.query("SELECT status, unresolved_count FROM error_groups WHERE fingerprint = \(timeouts)").first
        #expect(try group?.decode(String.self, column: "status") == "open")
        #expect(try group?.decode(Int64.self, column: "unresolved_count") == 1)
        #expect(try await database.query("SELECT 1 FROM alert_outbox").isEmpty)
        await database.drop()
    }

    @Test("a replayed dead letter is resolved too but is not taken off its group's unresolved count twice")
    func resolveReplayed() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        try await fixture.markReplayed([stored.payments[0]])
        let timeouts = try await fixture.fingerprint(of: stored.payments[0])

        let result = try await fixture.dlq(["resolve", "original_topic=payments", "--reason", "r", "--yes", "--json"])
        #expect(result.status == 0, "\(result.log)")
        let preview = (OperatorFixture.json(result.output) as? [String: Any])?["preview"] as? [String: Any]
        #expect((preview?["statuses"] as? [String: Any])?.mapValues { ($0 as? NSNumber)?.intValue } == ["new": 1, "replayed": 1])
        #expect(try await ids(where: "status = 'resolved'", database) == Set(stored.payments))
        let group = try await database.query("SELECT status, unresolved_count FROM error_groups WHERE fingerprint = \(timeouts)").first
        #expect(try group?.decode(Int64.self, column: "unresolved_count") == 0)
        #expect(try group?.decode(String.self, column: "status") == "resolved")
        await database.drop()
    }

    @Test("resolve --dry-run shows the preview and changes nothing")
    func resolveDryRun() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storeMixedFailures(fixture)
        let before = try await fixture.snapshot()

        let result = try await fixture.dlq(["resolve", "original_topic=orders", "--reason", "r", "--dry-run", "--json"])
        #expect(result.status == 0, "\(result.log)")
        let report = OperatorFixture.json(result.output) as? [String: Any]
        #expect(report?["dry_run"] as? Bool == true)
        #expect(((report?["preview"] as? [String: Any])?["count"] as? NSNumber)?.intValue == 4)
        #expect(try await fixture.snapshot() == before)
        await database.drop()
    }

    @Test("resolve without a terminal and without --yes is refused and changes nothing")
    func resolveRefusedWithoutTerminal() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storeMixedFailures(fixture)
        let before = try await fixture.snapshot()

        let result = try await fixture.dlq(["resolve", "original_topic=orders", "--reason", "r"])
        #expect(result.status != 0)
        #expect(result.log.contains("--yes"), "\(result.log)")
        #expect(try await fixture.snapshot() == before)
        await database.drop()
    }

    @Test("resolve refuses an empty selection and a missing reason")
    func resolveNeedsSelectionAndReason() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storeMixedFailures(fixture)

        let everything = try await fixture.dlq(["resolve", "--reason", "r", "--yes"])
        #expect(everything.status != 0)
        let noReason = try await fixture.dlq(["resolve", "original_topic=orders", "--yes"])
        #expect(noReason.status != 0)
        #expect(try await database.count("status = 'resolved'") == 0)
        await database.drop()
    }

    @Test("groups resolve writes an audit row")
    func groupsResolveAudited() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        let declined = try await fixture.fingerprint(of: stored.declined[0])

        let result = try await fixture.dlq(["groups", "resolve", String(declined.prefix(8)), "--reason", "fixed"])
        #expect(result.status == 0, "\(result.log)")
        let audit = try await AuditLog().list(action: "resolve", limit: 10, on: database.connect())
        #expect(audit.map(\.eventCount) == [3])
        #expect(audit.first?.selection?.contains("fingerprint=\(declined)") == true)
        #expect(audit.first?.operatorName == "alice")
        await database.drop()
    }

    // MARK: purge and retention

    /// Dead letters 40 days old: resolved, replayed, new; and a resolved one from today. Returns them in that order.
    private func storePurgeCandidates(_ fixture: OperatorFixture) async throws -> (oldResolved: Int64, oldReplayed: Int64, oldNew: Int64, recentResolved: Int64) {
        let ids = try await fixture.store((1...4).map { Failure(message: "Card declined for order \($0)") })
        try await fixture.markResolved([ids[0], ids[3]])
        try await fixture.markReplayed([ids[1]])
        try await fixture.setIngested(Array(ids[0...2]), daysAgo: 40)
        return (ids[0], ids[1], ids[2], ids[3])
    }

    @Test("purge deletes only resolved and replayed dead letters older than the cutoff, never new ones, and is audited")
    func purge() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let candidates = try await storePurgeCandidates(fixture)

        let result = try await fixture.dlq(["purge", "--older-than", "30d", "--yes", "--reason", "tidy"])
        #expect(result.status == 0, "\(result.log)")
        #expect(try await ids(where: "true", database) == [candidates.oldNew, candidates.recentResolved])
        let audit = try await AuditLog().list(action: "purge", limit: 10, on: database.connect())
        #expect(audit.map(\.eventCount) == [2])
        #expect(audit.first?.outcome == "purged 2")

        let onlyNew = try await fixture.dlq(["purge", "status=new", "--older-than", "1s", "--yes"])
        #expect(onlyNew.status == 0)
        #expect(onlyNew.output.contains("nothing to purge"))
        #expect(try await database.count() == 2)
        await database.drop()
    }

    @Test("purge --dry-run shows the preview and changes nothing")
    func purgeDryRun() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storePurgeCandidates(fixture)
        let before = try await fixture.snapshot()

        let result = try await fixture.dlq(["purge", "--older-than", "30d", "--dry-run"])
        #expect(result.status == 0, "\(result.log)")
        #expect(result.output.contains("2 dead letters selected"), "\(result.output)")
        #expect(try await fixture.snapshot() == before)
        await database.drop()
    }

    @Test("purge without a terminal and without --yes is refused and changes nothing")
    func purgeRefusedWithoutTerminal() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storePurgeCandidates(fixture)
        let before = try await fixture.snapshot()

        let result = try await fixture.dlq(["purge", "--older-than", "30d"])
        #expect(result.status != 0)
        #expect(try await fixture.snapshot() == before)
        await database.drop()
    }

    @Test("retention purges resolved and replayed dead letters older than purge_after at the given time, once, as system:retention")
    func retentionPurge() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let candidates = try await storePurgeCandidates(fixture)
        let connection = try await database.connect()
        let logger = Logger(label: "test")
        let age = try #require(Age(parsing: "30d"))

        // A month and a day from now, today's resolved dead letter is due as well.
        let later = Date().addingTimeInterval(31 * 86_400)
        #expect(try await RetentionService.purge(olderThan: age, now: later, on: connection, logger: logger) == 3)
        #expect(try await ids(where: "true", database) == [candidates.oldNew])
        #expect(try await RetentionService.purge(olderThan: age, now: later, on: connection, logger: logger) == 0)

        let audit = try await AuditLog().list(action: "purge", limit: 10, on: connection)
        #expect(audit.map(\.operatorName) == ["system:retention"])
        #expect(audit.map(\.eventCount) == [3])
        await connection.close()
        await database.drop()
    }

    @Test("retention leaves the round to another daemon holding the retention lock")
    func retentionLock() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storePurgeCandidates(fixture)
        let other = try await database.connect()
        _ = try await other.query("SELECT pg_advisory_lock(\(RetentionService.lockKey))")
        let connection = try await database.connect()
        let age = try #require(Age(parsing: "30d"))

        let deleted = try await RetentionService.purge(olderThan: age, now: Date(), on: connection, logger: Logger(label: "test"))
        #expect(deleted == 0)
        #expect(try await database.count() == 4)
        await connection.close()
        await other.close()
        await database.drop()
    }

    @Test("the retention service purges on its own soon after start and stops when cancelled")
    func retentionService() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storePurgeCandidates(fixture)
        let configuration = try DLQConfiguration.load(
            filePath: nil, environment: ["DLQ_DATABASE_URL": database.url, "DLQ_RETENTION_PURGE_AFTER": "30d"]
        )
        let service = try #require(RetentionService(
            settings: configuration.retention, database: configuration.database, firstRunDelay: .zero,
            logger: Logger(label: "test")
        ))
        let running = Task { try await service.run() }
        try await eventually("retention purged the two old done dead letters") { try await database.count() == 2 }
        running.cancel()
        try await running.value
        await database.drop()
    }

    // MARK: audit and stats

    @Test("audit lists actions newest first and filters by action")
    func auditLists() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        _ = try await storePurgeCandidates(fixture)
        _ = try await fixture.dlq(["purge", "--older-than", "30d", "--yes"])

        let all = try await fixture.dlq(["audit", "--json"])
        #expect(all.status == 0, "\(all.log)")
        let entries = OperatorFixture.json(all.output) as? [[String: Any]] ?? []
        // The fixture's resolve came first, then the purge.
        #expect(entries.compactMap { $0["action"] as? String } == ["purge", "resolve"])
        let purges = try await fixture.dlq(["audit", "--action", "purge", "--json"])
        #expect((OperatorFixture.json(purges.output) as? [[String: Any]])?.count == 1)
        let table = try await fixture.dlq(["audit"])
        #expect(table.output.contains("purged 2"))
        await database.drop()
    }

    @Test("stats counts depth by DLQ topic, class and derived status, and the oldest unresolved dead letter")
    func stats() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        try await fixture.markResolved([stored.declined[0]])
        try await fixture.markReplayed([stored.declined[1]])
        _ = try await database.query("UPDATE dead_letters SET error_class = 'schema' WHERE id = \(stored.schema)")
        _ = try await database.query("""
            UPDATE dead_letters SET ingested_at = '2026-01-01T00:00:00Z' WHERE id = \(stored.declined[2])
            """)

        let result = try await fixture.dlq(["stats", "--json"])
        #expect(result.status == 0, "\(result.log)")
        let stats = try #require(OperatorFixture.json(result.output) as? [String: Any])
        func number(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }
        #expect(number(stats["total"]) == 6)
        #expect(number(stats["unresolved"]) == 4)
        #expect((stats["by_status"] as? [String: Any])?.mapValues(number) == ["new": 4, "replayed": 1, "resolved": 1])
        #expect(stats["oldest_unresolved_at"] as? String == "2026-01-01T00:00:00Z")
        let topics = stats["by_dlq_topic"] as? [[String: Any]] ?? []
        #expect(topics.map { $0["name"] as? String } == ["orders.dlq", "payments.dlq"])
        #expect(topics.map { number($0["total"]) } == [4, 2])
        #expect(topics.map { number($0["unresolved"]) } == [2, 2])
        #expect(topics.first?["oldest_unresolved_at"] as? String == "2026-01-01T00:00:00Z")
        let classes = stats["by_error_class"] as? [[String: Any]] ?? []
        #expect(classes.map { $0["name"] as? String } == ["unclassified", "schema"])
        #expect(classes.map { number($0["total"]) } == [5, 1])

        let text = try await fixture.dlq(["stats"])
        #expect(text.output.contains("dead letters: 6"), "\(text.output)")
        await database.drop()
    }

    // MARK: list and groups with selection terms

    @Test("list takes selection terms, its options add to them, and it shows the derived status")
    func listWithTerms() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        try await fixture.markReplayed([stored.payments[0]])

        let replayed = try await fixture.dlq(["list", "--json", "status=replayed"])
        let rows = OperatorFixture.json(replayed.output) as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["id"] as? Int64 } == [stored.payments[0]], "\(replayed.log)")
        #expect(rows.first?["status"] as? String == "replayed")

        let combined = try await fixture.dlq(["list", "--json", "--original-topic", "orders", "id=\(stored.declined[1])-\(stored.schema)"])
        let combinedRows = OperatorFixture.json(combined.output) as? [[String: Any]] ?? []
        #expect(combinedRows.compactMap { $0["id"] as? Int64 } == [stored.schema, stored.declined[2], stored.declined[1]])

        let bad = try await fixture.dlq(["list", "colour=red"])
        #expect(bad.status != 0)
        #expect(bad.log.contains("colour=red"))
        await database.drop()
    }

    @Test("groups list with selection terms shows only groups with a selected dead letter, and how many")
    func groupsWithTerms() async throws {
        let database = try await TestDatabase.create()
        let fixture = OperatorFixture(database: database)
        let stored = try await storeMixedFailures(fixture)
        try await fixture.markResolved([stored.declined[0]])

        let result = try await fixture.dlq(["groups", "list", "--json", "original_topic=orders", "status=new"])
        #expect(result.status == 0, "\(result.log)")
        let groups = OperatorFixture.json(result.output) as? [[String: Any]] ?? []
        let matching = Dictionary(uniqueKeysWithValues: groups.compactMap { group -> (String, Int)? in
            guard let exception = group["exception_class"] as? String, let count = group["matching_count"] as? NSNumber else { return nil }
            return (exception, count.intValue)
        })
        #expect(matching == ["com.acme.PaymentDeclinedException": 2, "org.apache.kafka.common.errors.SerializationException": 1])

        let bare = try await fixture.dlq(["groups", "original_topic=payments", "--json"])
        #expect((OperatorFixture.json(bare.output) as? [[String: Any]])?.count == 1, "\(bare.log)")
        await database.drop()
    }
}

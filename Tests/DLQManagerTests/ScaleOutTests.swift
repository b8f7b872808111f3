import DLQCore
import Foundation
import Kafka
import Postgres
import Testing

/// Several daemons in one consumer group: Kafka shares the DLQ partitions between them, and PostgreSQL shares
/// everything else (the alert outbox and its dispatcher, auto-replay), so that a daemon joining or dying moves
/// work without losing or repeating any of it.
@Suite("Scale-out", .timeLimit(.minutes(10)))
struct ScaleOutTests {
    private static let total = 100_000
    /// One error group each, 10,000 dead letters each; the first is the auto-replay rule's.
    private static let exceptionClasses = ["java.net.SocketTimeoutException"] + (1..<10).map { "com.acme.Failure\($0)" }
    /// More partitions than daemons, so that every member gets several. The mock keeps about 5 MB per partition;
    /// 6,250 records of ~250 bytes each stay well inside it.
    private static let partitions: Int32 = 16

    /// Every group alerts to one webhook, once an hour at most. The timeouts rule replays its dead letters a second
    /// after they arrive, checking every 200 ms, in steps of 250 so that a job is in flight long enough to be
    /// killed. `max_attempts` is above one on purpose: a limit of one would hide a second replay of the same event
    /// behind "replay limit reached".
    private func configuration(alertsURL: String) -> String {
        IngestHarness.alertingConfiguration(url: alertsURL, alerting: ["group_wait_ms": 500], extra: """
            replay:
              auto_interval_ms: 200
              batch_size: 250
            classification:
              rules:
                - name: timeouts
                  match: { exception_class: "java\\\\.net\\\\.SocketTimeoutException" }
                  class: transient
                  action: auto-replay
                  cooldown: 1s
                  max_attempts: 3
            """)
    }

    @Test("100,000 dead letters, three daemons, one SIGKILLed halfway and one added: every row once, one alert per group, no event replayed twice")
    func sharesWorkAcrossKillAndJoin() async throws {
        let server = try await RecordingHTTPServer.start(default: .status(202))
        let harness = try await IngestHarness.make(partitions: Self.partitions)
        try harness.cluster.createTopic("orders", partitions: 4)
        let environment = ["DLQ_CONFIG": configuration(alertsURL: server.url), IngestHarness.hmacKeyVariable: "scale-out-hmac-key"]

        // The group settles before anything is produced, so all three daemons take part from the first record.
        var daemons = try (0..<3).map { _ in try harness.startDaemon(environment) }
        try await eventually("the three daemons share the partitions") {
            DaemonLog.groupHasSettled(daemons.map { DaemonLog($0.log()) }, topic: harness.topic, partitions: Self.partitions)
        }
        let produced = try await harness.produce((0..<Self.total).map { index in
            harness.springFailure(exceptionClass: Self.exceptionClasses[index % Self.exceptionClasses.count], index: index)
        })
        let timeoutClass = Array(Self.exceptionClasses[0].utf8)
        let timeouts = Set(produced.filter { _, record in
            record.headers.contains { $0.name == "kafka_dlt-exception-fqcn" && $0.value == timeoutClass }
        }.keys)

        let (victimIndex, caughtJob) = try await waitForHalfStoredDuringReplay(harness, daemons: daemons)
        let victim = daemons.remove(at: victimIndex)
        victim.signal(SIGKILL)
        _ = try await victim.waitForExit()
        // On a loaded machine the job can finish between being caught mid-job and the kill: then there is
        // nothing to resume.
        let interruptedJob = try await unfinished(caughtJob, harness)
        // Read after the kill: nothing commits the victim's partitions until the group hands them to another member.
        let victimPartitions = DaemonLog(victim.log()).assignment(of: harness.topic)
        #expect(try await harness.uncommittedRecords(in: victimPartitions) > 0, "the victim's partitions have records left to hand over")
        let joiner = try harness.startDaemon(environment)
        daemons.append(joiner)

        try await eventually("rows stored", reaches: Int64(Self.total)) { try await harness.database.count() }
        try await eventually("the group committed every offset") { try await harness.groupCommittedEverything() }
        try await eventually("auto-replay published every timeout and finished its jobs", timeout: .seconds(120)) {
            let rows = try await harness.database.query("""
                SELECT (SELECT count(DISTINCT dead_letter_id) FROM replay_items WHERE state = 'published') = \(timeouts.count)
                       AND NOT EXISTS (SELECT 1 FROM replay_jobs WHERE state <> 'completed')
                """)
            return try rows[0].decode(Bool.self, column: 0)
        }
        _ = try await server.waitForRequests(count: Self.exceptionClasses.count, timeout: .seconds(90))
        // At least one delivery per group: more than one is what the checks below catch.
        try await eventually("every group's alert is recorded delivered", timeout: .seconds(90)) {
            let rows = try await harness.database.query("""
                SELECT count(*) FILTER (WHERE status = 'delivered') >= \(Self.exceptionClasses.count)
                       AND count(*) FILTER (WHERE status = 'pending') = 0
                FROM alert_deliveries
                """)
            return try rows[0].decode(Bool.self, column: 0)
        }
        #expect(!DaemonLog(joiner.log()).assignment(of: harness.topic).isEmpty, "the added daemon takes partitions")
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons {
            #expect(try await daemon.waitForExit() == 0, "daemon log:\n\(daemon.log())")
        }

        #expect(try await harness.storedRecords() == produced)
        try await expectOneAlertPerGroup(harness, server: server)
        // A survivor resumed the victim's job, first looking on the topic for what it had sent without recording.
        if let interruptedJob {
            let runs = try await harness.database.query("SELECT runs FROM replay_jobs WHERE id = \(interruptedJob)")
            #expect(try runs.first?.decode(Int32.self, column: 0) ?? 0 >= 2, "job \(interruptedJob) was resumed")
        }
        try await expectEachTimeoutReplayedOnce(harness, timeouts: timeouts)

        try await server.shutdown()
        await harness.database.drop()
    }

    /// Waits until half the dead letters are stored, then for a daemon in the middle of an auto-replay job, the
    /// moment a kill could make an event be published twice: some of the job published, some not, and some
    /// claimed (sent but not yet recorded, which only the next runner's look at the target topic can settle).
    /// Returns that daemon's index and its job. A job lasts a fraction of a second, and on a busy machine ingest can
    /// outrun them all: if none is caught by the time 70% is stored, the victim is a daemon without a job. Either way
    /// the victim has records left to hand over.
    private func waitForHalfStoredDuringReplay(_ harness: IngestHarness, daemons: [DLQProcess]) async throws -> (Int, Int64?) {
        var found: (Int, Int64?)?
        try await eventually("half is stored and a daemon is in the middle of an auto-replay job", timeout: .seconds(180)) {
            let stored = try await harness.database.count()
            // Past the end, the victim would have nothing left to hand over.
            guard stored >= Int64(Self.total / 2), stored < Int64(Self.total) else { return false }
            for (index, daemon) in daemons.enumerated() {
                guard let job = DaemonLog(daemon.log()).runningReplayJob else { continue }
                let items = try await harness.database.query("""
                    SELECT count(*) FILTER (WHERE state = 'published') > 0 AND count(*) FILTER (WHERE state = 'pending') > 0
                           AND EXISTS (SELECT 1 FROM replay_claims WHERE job_id = \(job))
                    FROM replay_items WHERE job_id = \(job)
                    """)
                if try items[0].decode(Bool.self, column: 0), try await hasRecordsToHandOver(daemon, harness) {
                    found = (index, job)
                    return true
                }
            }
            if stored >= Int64(Self.total * 7 / 10) {
                for (index, daemon) in daemons.enumerated() where try await hasRecordsToHandOver(daemon, harness) {
                    found = (index, nil)
                    return true
                }
            }
            return false
        }
        return try #require(found)
    }

    /// Whether `daemon`'s partitions hold records it has not committed: on a busy machine one daemon can finish
    /// its partitions long before the others, and killing it would leave the group nothing to hand over.
    private func hasRecordsToHandOver(_ daemon: DLQProcess, _ harness: IngestHarness) async throws -> Bool {
        try await harness.uncommittedRecords(in: DaemonLog(daemon.log()).assignment(of: harness.topic)) > 0
    }

    /// `job`, unless the victim finished it in its one run before it was killed.
    private func unfinished(_ job: Int64?, _ harness: IngestHarness) async throws -> Int64? {
        guard let job else { return nil }
        let rows = try await harness.database.query("SELECT state = 'completed' AND runs = 1 FROM replay_jobs WHERE id = \(job)")
        return try rows[0].decode(Bool.self, column: 0) ? nil : job
    }

    /// One notification per group whichever daemon sent it, and every arrival counted once: in the alert sent or in
    /// the repeat waiting for the repeat interval.
    private func expectOneAlertPerGroup(_ harness: IngestHarness, server: RecordingHTTPServer) async throws {
        var deliveryIDs: [String: Set<String>] = [:]
        for request in server.requests() {
            let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] ?? [:]
            // A daemon killed between sending and recording leaves the delivery to be sent again under the same id
            // (at least once, deduplicated by the receiver); a second alert would carry a second id.
            deliveryIDs[body["fingerprint"] as? String ?? "none", default: []].insert(request.header("X-DLQ-Delivery") ?? "none")
        }
        #expect(deliveryIDs.count == Self.exceptionClasses.count)
        #expect(deliveryIDs.values.allSatisfy { $0.count == 1 }, "delivery ids by fingerprint: \(deliveryIDs)")

        let groups = try await harness.database.query("""
            SELECT g.exception_class, g.event_count,
                   (SELECT count(*) FROM alert_deliveries d WHERE d.fingerprint = g.fingerprint) AS deliveries,
                   (SELECT coalesce(sum(d.new_events), 0) FROM alert_deliveries d WHERE d.fingerprint = g.fingerprint)::bigint,
                   (SELECT coalesce(sum(o.new_events), 0) FROM alert_outbox o
                    WHERE o.fingerprint = g.fingerprint AND o.due_at > now() + interval '30 minutes')::bigint
            FROM error_groups g ORDER BY g.exception_class
            """)
        #expect(try groups.map { try $0.decode(String.self, column: 0) } == Self.exceptionClasses.sorted())
        let perGroup = Int64(Self.total / Self.exceptionClasses.count)
        for group in groups {
            let name = try group.decode(String.self, column: 0)
            #expect(try group.decode(Int64.self, column: 1) == perGroup, "events of \(name)")
            #expect(try group.decode(Int64.self, column: 2) == 1, "deliveries of \(name)")
            let announced = try group.decode(Int64.self, column: 3)
            let forRepeat = try group.decode(Int64.self, column: 4)
            #expect(announced + forRepeat == perGroup, "\(name): \(announced) announced + \(forRepeat) for the repeat")
        }
        let dueSoon = try await harness.database.query("SELECT count(*) FROM alert_outbox WHERE due_at < now() + interval '30 minutes'")
        #expect(try dueSoon[0].decode(Int64.self, column: 0) == 0, "no second alert is on its way")
    }

    /// What an independent consumer of the original topic sees: each dead letter of the auto-replay rule once. The
    /// replay items and the audit trail agree with it.
    private func expectEachTimeoutReplayedOnce(_ harness: IngestHarness, timeouts: Set<IngestHarness.Coordinate>) async throws {
        let replayed = try await ReplayHarness.readTopic("orders", in: harness.cluster)
        var copies: [IngestHarness.Coordinate: Int] = [:]
        for record in replayed {
            guard let origin = ReplayHarness.origin(of: record), origin.topic == harness.topic else {
                Issue.record("a record on orders without a lineage origin in \(harness.topic)")
                continue
            }
            copies[IngestHarness.Coordinate(partition: origin.partition, offset: origin.offset), default: 0] += 1
        }
        // Counts, not coordinates: a failure listing thousands of them is unreadable.
        #expect(copies.values.filter { $0 > 1 }.count == 0, "dead letters published more than once")
        #expect(timeouts.subtracting(copies.keys).count == 0, "dead letters never published")
        #expect(replayed.count == timeouts.count)

        let items = try await harness.database.query("""
            SELECT count(*) FILTER (WHERE state = 'published'), count(DISTINCT dead_letter_id) FILTER (WHERE state = 'published'),
                   count(*)
            FROM replay_items
            """)[0]
        #expect(try items.decode(Int64.self, column: 0) == Int64(timeouts.count), "published items")
        #expect(try items.decode(Int64.self, column: 1) == Int64(timeouts.count), "dead letters with a published item")
        let selected = try items.decode(Int64.self, column: 2)
        let audited = try await harness.database.query("""
            SELECT coalesce(sum(event_count), 0)::bigint FROM audit_log WHERE operator = 'system:auto-replay' AND action = 'replay'
            """)[0].decode(Int64.self, column: 0)
        #expect(audited == selected, "the audited job creations name as many dead letters as the jobs have items")
        // The last run of a job reports what the job published in all its runs.
        let jobs = try await harness.database.query("""
            SELECT j.id,
                   (SELECT count(*) FROM replay_items i WHERE i.job_id = j.id AND i.state = 'published'),
                   (SELECT a.event_count FROM audit_log a WHERE a.job_id = j.id AND a.action = 'replay-run' ORDER BY a.id DESC LIMIT 1)
            FROM replay_jobs j ORDER BY j.id
            """)
        for job in jobs {
            let id = try job.decode(Int64.self, column: 0)
            #expect(try job.decode(Int64?.self, column: 2) == job.decode(Int64.self, column: 1), "job \(id): audited published count")
        }
    }
}

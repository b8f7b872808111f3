import Testing

/// Every dependency failing in turn: the Kafka broker, PostgreSQL, alert receivers. Each fault's test injects
/// one failure with the mock cluster's fault injection or a real PostgreSQL, lets the daemon or a replay ride
/// it out, and checks the invariants: the stored set equals the produced set, every alert is delivered or
/// recorded as given up, every replayed event was acknowledged and published once.
///
/// `scripts/fault-suite` runs only these and prints each test's ``FaultReport``.
@Suite("Fault suite", .timeLimit(.minutes(5)))
enum FaultSuite {}

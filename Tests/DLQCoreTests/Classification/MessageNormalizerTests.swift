@testable import DLQCore
import Testing

@Suite("Message normalization")
struct MessageNormalizerTests {
    private func normalize(_ message: String) -> String {
        MessageNormalizer.normalize(message)
    }

    @Test func integersBecomeNum() {
        #expect(normalize("retry 3 of 5 failed") == "retry <num> of <num> failed")
    }

    @Test func decimalsBecomeOneNum() {
        #expect(normalize("took 12.75 s, limit 1.5e3") == "took <num> s, limit <num>")
    }

    @Test func negativeNumbersKeepNoSign() {
        #expect(normalize("offset -1 invalid (min=-20)") == "offset <num> invalid (min=<num>)")
    }

    @Test func aHyphenAfterAWordIsNotASign() {
        #expect(normalize("thread-pool-3-thread-12") == "thread-pool-<num>-thread-<num>")
    }

    @Test func digitsInsideIdentifiersAreReplacedToo() {
        #expect(normalize("order4711 rejected by worker7b") == "order<num> rejected by worker<num>b")
    }

    @Test func epochMillisecondsAreJustANumber() {
        #expect(normalize("at 1763805600000") == "at <num>")
    }

    @Test(arguments: ["550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-446655440000"])
    func uuidsBecomeUUID(uuid: String) {
        #expect(normalize("order \(uuid) not found") == "order <uuid> not found")
    }

    @Test func uuidIsNotTakenApartIntoNumbersAndHex() {
        #expect(normalize("id=123e4567-e89b-12d3-a456-426614174000;") == "id=<uuid>;")
    }

    @Test(arguments: ["0x7ffee4b2c8a0", "0XDEADBEEF", "0x0"])
    func prefixedHexBecomesHex(hex: String) {
        #expect(normalize("segfault at \(hex) in worker") == "segfault at <hex> in worker")
    }

    @Test(arguments: ["9fceb02d0ae598e95dc970b74767f19372d61af8", "4BF92F3577B34DA6", "deadbeef01"])
    func bareHexRunsWithDigitsBecomeHex(hex: String) {
        #expect(normalize("trace \(hex) lost") == "trace <hex> lost")
    }

    @Test func hexLookingWordsWithoutDigitsStayWords() {
        #expect(normalize("deadbeef accessed decade") == "deadbeef accessed decade")
    }

    @Test func shortHexRunsAreNotHex() {
        #expect(normalize("build ab12cd3") == "build ab<num>cd<num>")
    }

    @Test(arguments: ["jane.doe@example.com", "ops+dlq@mail.acme.co.uk", "42@users.noreply.github.com"])
    func emailAddressesBecomeEmail(address: String) {
        #expect(normalize("cannot notify <\(address)>.") == "cannot notify <<email>>.")
    }

    @Test(arguments: [
        "https://api.example.com/v1/orders/4711?expand=items#x",
        "http://10.0.0.5:8080/health",
        "s3://bucket-7/key/2026-11-22/part-0001.json",
        "https://user:secret@example.com/x",
    ])
    func urlsBecomeOneURL(url: String) {
        #expect(normalize("GET \(url) failed") == "GET <url> failed")
    }

    @Test func sentencePunctuationAfterAURLIsNotPartOfIt() {
        #expect(normalize("see (https://wiki.acme.io/runbooks/42).") == "see (<url>).")
    }

    @Test func jdbcURLKeepsItsPrefix() {
        #expect(normalize("jdbc:postgresql://db-1:5432/orders refused") == "jdbc:<url> refused")
    }

    @Test func ipv4BecomesIP() {
        #expect(normalize("host 10.0.0.1 unreachable") == "host <ip> unreachable")
    }

    @Test func ipv4WithPortIsOneIP() {
        #expect(normalize("connect to 192.168.1.20:9092 timed out") == "connect to <ip> timed out")
    }

    @Test func versionsWithMoreThanFourPartsAreNotIPs() {
        #expect(normalize("lib 1.10.0.0.1") == "lib <num>.<num>.<num>")
    }

    @Test(arguments: [
        "2001:db8::1", "fe80::1%eth0", "::1", "::ffff:192.0.2.1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ])
    func ipv6BecomesIP(address: String) {
        #expect(normalize("peer \(address) reset") == "peer <ip> reset")
    }

    @Test func bracketedIPv6KeepsItsBracketsAndPort() {
        #expect(normalize("[2001:db8::1]:8080") == "[<ip>]:<num>")
    }

    @Test(arguments: [
        ("at 10:00:00", "at <num>:<num>:<num>"),
        ("std::vector", "std::vector"),
        ("OrderService::handle", "OrderService::handle"),
        ("cafe::babe", "cafe::babe"),
    ])
    func colonSeparatedNonAddressesAreNotIPv6(message: String, expected: String) {
        #expect(normalize(message) == expected)
    }

    @Test(arguments: [
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.123456Z",
        "2026-11-22T10:00:00+01:00",
        "2026-11-22T10:00:00-0530",
        "2026-11-22t10:00z",
        "2026-11-22",
    ])
    func isoTimestampsBecomeTS(timestamp: String) {
        #expect(normalize("expired at \(timestamp) (utc)") == "expired at <ts> (utc)")
    }

    @Test(arguments: ["2026-11-22 10:00:00", "2026-11-22 10:00:00,123", "2026-11-22 10:00"])
    func spaceSeparatedTimestampsBecomeTS(timestamp: String) {
        #expect(normalize("[\(timestamp)] failed") == "[<ts>] failed")
    }

    @Test func aDateFollowedByANumberKeepsTheNumberApart() {
        #expect(normalize("2026-11-22 3 retries") == "<ts> <num> retries")
    }

    @Test func singleQuotedValuesBecomeStr() {
        #expect(normalize("unknown customer 'jane doe'") == "unknown customer <str>")
    }

    @Test func doubleQuotedValuesBecomeStr() {
        #expect(normalize(#"field "shipping.zip" is required"#) == "field <str> is required")
    }

    @Test func backQuotedValuesBecomeStr() {
        #expect(normalize("column `order_id` missing") == "column <str> missing")
    }

    @Test func emptyQuotesBecomeStr() {
        #expect(normalize("name '' too short") == "name <str> too short")
    }

    @Test func escapedQuotesStayInsideTheValue() {
        #expect(normalize(#"bad token "a \" b" here"#) == "bad token <str> here")
    }

    @Test func apostrophesInWordsDoNotOpenQuotes() {
        #expect(normalize("can't parse customer's 'x' value") == "can't parse customer's <str> value")
    }

    @Test func aQuoteIsNotClosedOnTheNextLine() {
        #expect(normalize("expected ' here\nbut 'found' it") == "expected ' here but <str> it")
    }

    @Test func aURLContainingAnIPIsOneURL() {
        #expect(normalize("POST http://10.1.2.3:8080/orders/4711 -> 503") == "POST <url> -> <num>")
    }

    @Test func messagesDifferingOnlyInValuesNormalizeEqual() {
        let first = normalize(
            "Order 4711 for 'jane' (550e8400-e29b-41d4-a716-446655440000) failed at 2026-11-22T10:00:00Z from 10.0.0.1:5432 after 1.5 s"
        )
        let second = normalize(
            "Order 98 for 'Joe Bloggs' (6fa459ea-ee8a-3ca4-894e-db77e160355e) failed at 2025-01-02T23:59:59.999+02:00 from 172.16.254.3:6543 after 20 s"
        )
        #expect(first == second)
    }

    @Test func differentWordingStaysDifferent() {
        #expect(normalize("Order 4711 rejected: out of stock") != normalize("Order 4711 rejected: payment declined"))
    }

    @Test func whitespaceRunsFoldToOneSpaceAndEndsAreTrimmed() {
        #expect(normalize("  Order\t\t4711 \r\n  rejected \n") == "Order <num> rejected")
    }

    @Test func emptyMessageStaysEmpty() {
        #expect(normalize("") == "")
        #expect(normalize(" \n\t ") == "")
    }

    @Test func nonASCIITextIsKept() {
        #expect(normalize("Bestellung 4711 für Kunde „Müller“ abgelehnt ✗") == "Bestellung <num> für Kunde „Müller“ abgelehnt ✗")
    }

    @Test func whatFollowsTheFirst4KiBDoesNotMatter() {
        let stackTrace = String(repeating: "\tat com.acme.Orders.place(Orders.java:88)\n", count: 200)
        let message = "Order 4711 rejected\n" + stackTrace
        #expect(message.utf8.count > MessageNormalizer.byteLimit)
        #expect(normalize(message + "Caused by: A") == normalize(message + "Caused by: B"))
    }

    @Test func truncationDoesNotSplitACharacter() {
        // "é" is two bytes; at an odd offset one straddles the limit.
        let message = "x" + String(repeating: "é", count: MessageNormalizer.byteLimit)
        let normalized = normalize(message)
        #expect(normalized == "x" + String(repeating: "é", count: (MessageNormalizer.byteLimit - 1) / 2))
    }

    @Test func placeholdersNormalizeToThemselves() {
        let placeholders = "<num> <uuid> <hex> <email> <url> <ip> <ts> <str> [<ip>]:<num> order<num>"
        #expect(normalize(placeholders) == placeholders)
    }

    @Test func strayQuotesAndDottedRunsAreHandled() {
        let hostile = String(repeating: "\"x ", count: 1000) + String(repeating: "a.", count: 500) + "@"
        let normalized = normalize(hostile)
        #expect(normalized.hasPrefix("\"x \"x"))
        #expect(normalized.hasSuffix("a.a.@"))
    }
}

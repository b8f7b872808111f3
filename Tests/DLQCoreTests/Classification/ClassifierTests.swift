import DLQCore
import Testing

@Suite("Classification rules")
struct ClassifierTests {
    private func rule(
        _ match: RuleMatch,
        name: String = "rule",
        errorClass: String = "transient",
        severity: Severity = .warning,
        action: FailureAction = .autoReplay
    ) throws -> ClassificationRule {
        try ClassificationRule(name: name, match: match, errorClass: errorClass, severity: severity, action: action)
    }

    private func matches(_ match: RuleMatch, _ letter: DeadLetter) throws -> Bool {
        Classifier(rules: [try rule(match)]).classify(letter).ruleName == "rule"
    }

    @Test(arguments: [
        (RuleMatch(exceptionClass: #"com\.acme\.OrderRejectedException"#), true),
        (RuleMatch(exceptionClass: #"com\.acme\.PaymentDeclinedException"#), false),
        (RuleMatch(message: "rejected"), true),
        (RuleMatch(message: "declined"), false),
        (RuleMatch(dlqTopic: #"orders\.dlq"#), true),
        (RuleMatch(dlqTopic: #"payments\.dlq"#), false),
        (RuleMatch(originalTopic: "orders"), true),
        (RuleMatch(originalTopic: "payments"), false),
        (RuleMatch(consumerGroup: "order-service"), true),
        (RuleMatch(consumerGroup: "billing-service"), false),
        (RuleMatch(headers: ["x-tenant": "acme"]), true),
        (RuleMatch(headers: ["x-tenant": "globex"]), false),
    ])
    func eachConditionTestsItsField(match: RuleMatch, expected: Bool) throws {
        let letter = letterToClassify(headers: [RecordHeader(name: "x-tenant", text: "acme")])
        #expect(try matches(match, letter) == expected)
    }

    @Test(arguments: [
        (RuleMatch(originalTopic: "orders", consumerGroup: "order-service"), true),
        (RuleMatch(originalTopic: "orders", consumerGroup: "billing-service"), false),
        (RuleMatch(originalTopic: "payments", consumerGroup: "order-service"), false),
        (RuleMatch(exceptionClass: ".*Rejected.*", message: "4711", headers: ["x-tenant": "acme"]), true),
        (RuleMatch(exceptionClass: ".*Rejected.*", message: "4711", headers: ["x-tenant": "globex"]), false),
    ])
    func everyGivenConditionMustHold(match: RuleMatch, expected: Bool) throws {
        let letter = letterToClassify(headers: [RecordHeader(name: "x-tenant", text: "acme")])
        #expect(try matches(match, letter) == expected)
    }

    @Test func theFirstMatchingRuleWins() throws {
        let classifier = Classifier(rules: [
            try rule(RuleMatch(originalTopic: "payments"), name: "payments", errorClass: "bug"),
            try rule(
                RuleMatch(originalTopic: "orders"), name: "orders", errorClass: "poison", severity: .critical,
                action: .page),
            try rule(RuleMatch(), name: "anything", errorClass: "transient"),
        ])
        #expect(classifier.classify(letterToClassify()) == Classification(
            errorClass: "poison", severity: .critical, action: .page, ruleName: "orders"))
    }

    @Test func noMatchingRuleGivesTheDefault() throws {
        let classifier = Classifier(rules: [try rule(RuleMatch(originalTopic: "payments"))])
        #expect(classifier.classify(letterToClassify()) == Classification(
            errorClass: "unclassified", severity: .error, action: .page, ruleName: "default"))
    }

    @Test func theDefaultCanBeConfigured() {
        let quiet = Classification(errorClass: "unknown", severity: .info, action: .notify, ruleName: "fallback")
        #expect(Classifier(rules: [], defaultClassification: quiet).classify(letterToClassify()) == quiet)
    }

    @Test func aRuleWithoutConditionsMatchesEverything() throws {
        #expect(try matches(RuleMatch(), letterToClassify(originalTopic: nil, exceptionClass: nil, errorMessage: nil)))
    }

    @Test func theClassificationNamesItsRule() throws {
        let rule = try rule(RuleMatch(message: "Unknown magic byte"), name: "schema-drift", errorClass: "schema")
        #expect(rule.classification.ruleName == "schema-drift")
    }

    @Test(arguments: ["X-Tenant", "x-tenant", "X-TENANT"])
    func headerNamesMatchInAnyCase(ruleHeaderName: String) throws {
        let letter = letterToClassify(headers: [RecordHeader(name: "x-Tenant", text: "acme")])
        #expect(try matches(RuleMatch(headers: [ruleHeaderName: "acme"]), letter))
    }

    @Test func theLastOfRepeatedHeadersCounts() throws {
        let letter = letterToClassify(headers: [
            RecordHeader(name: "x-tenant", text: "acme"), RecordHeader(name: "X-Tenant", text: "globex"),
        ])
        #expect(try matches(RuleMatch(headers: ["x-tenant": "globex"]), letter))
        #expect(try !matches(RuleMatch(headers: ["x-tenant": "acme"]), letter))
    }

    @Test func anAbsentHeaderDoesNotMatchEvenAnything() throws {
        #expect(try !matches(RuleMatch(headers: ["x-tenant": ".*"]), letterToClassify()))
    }

    @Test func aNullHeaderValueDoesNotMatchEvenAnything() throws {
        let letter = letterToClassify(headers: [RecordHeader(name: "x-tenant", value: nil)])
        #expect(try !matches(RuleMatch(headers: ["x-tenant": ".*"]), letter))
    }

    @Test func headerValuesAreReadAsUTF8Text() throws {
        let letter = letterToClassify(headers: [RecordHeader(name: "x-region", value: Array("zürich".utf8))])
        #expect(try matches(RuleMatch(headers: ["x-region": "z.rich"]), letter))
    }

    @Test func aConditionOnAnAbsentFieldDoesNotHold() throws {
        #expect(try !matches(RuleMatch(exceptionClass: ".*"), letterToClassify(exceptionClass: nil)))
        #expect(try !matches(RuleMatch(message: ".*"), letterToClassify(errorMessage: nil)))
    }

    @Test func identifiersMustMatchAsAWhole() throws {
        let letter = letterToClassify(exceptionClass: "com.acme.TimeoutException")
        #expect(try !matches(RuleMatch(exceptionClass: "Timeout"), letter))
        #expect(try !matches(RuleMatch(exceptionClass: #"com\.acme\.Timeout"#), letter))
        #expect(try matches(RuleMatch(exceptionClass: ".*Timeout.*"), letter))
    }

    @Test func alternativesAreAnchoredAsAWhole() throws {
        let letter = letterToClassify(consumerGroup: "orders-v2")
        #expect(try !matches(RuleMatch(consumerGroup: "orders|payments"), letter))
        let versioned = RuleMatch(consumerGroup: #"payments|orders-v\d"#)
        #expect(try !matches(versioned, letterToClassify(consumerGroup: "orders-v2x")))
        #expect(try matches(versioned, letter))
    }

    @Test func aTrailingLineBreakIsNotIgnoredByWholeMatches() throws {
        #expect(try !matches(RuleMatch(originalTopic: "orders"), letterToClassify(originalTopic: "orders\n")))
    }

    @Test func theMessageIsSearched() throws {
        let letter = letterToClassify(errorMessage: "Read timed out after 30000 ms")
        #expect(try matches(RuleMatch(message: #"timed out after \d+ ms"#), letter))
        #expect(try matches(RuleMatch(message: "(?i)TIMED OUT"), letter))
        #expect(try !matches(RuleMatch(message: "^timed out"), letter))
    }

    @Test func aBadPatternIsReportedNamingTheRuleAndTheField() throws {
        let error = try #require(throws: ClassificationRuleError.self) {
            try rule(RuleMatch(message: #"schema id (\d+"#), name: "schema-drift")
        }
        #expect(error.rule == "schema-drift")
        #expect(error.field == "message")
        #expect(error.problem.hasPrefix(#"invalid regular expression "schema id (\d+""#))
    }

    @Test func aBadHeaderPatternNamesTheHeader() throws {
        let error = try #require(throws: ClassificationRuleError.self) {
            try rule(RuleMatch(headers: ["X-Tenant": "[acme"]), name: "tenants")
        }
        #expect(error.field == "headers[X-Tenant]")
    }

    @Test func theProblemSaysWhatIsWrongWhereItCan() throws {
        let error = try #require(throws: ClassificationRuleError.self) {
            try rule(RuleMatch(exceptionClass: "com.acme.(Order"))
        }
        #expect(error.problem == #"invalid regular expression "com.acme.(Order": expected ')'"#)
    }

    @Test func anEmptyPatternIsRefused() throws {
        let error = try #require(throws: ClassificationRuleError.self) {
            try rule(RuleMatch(originalTopic: ""), name: "typo")
        }
        #expect(error == ClassificationRuleError(
            rule: "typo", field: "originalTopic",
            problem: "empty pattern (leave the condition out to match anything, or write ^$ for an empty value)"))
    }

    @Test func anEmptyValueIsMatchedWithCaretDollar() throws {
        #expect(try matches(RuleMatch(consumerGroup: "^$"), letterToClassify(consumerGroup: "")))
        #expect(try !matches(RuleMatch(consumerGroup: "^$"), letterToClassify()))
    }

    @Test func theErrorReadsAsOneLine() {
        let error = ClassificationRuleError(rule: "r", field: "dlqTopic", problem: "invalid regular expression \"(\"")
        #expect(error.description == #"classification rule "r", dlqTopic: invalid regular expression "(""#)
    }

    @Test func severitiesAreOrdered() {
        #expect(Severity.allCases.sorted() == [.info, .warning, .error, .critical])
        #expect(Severity.warning < .error)
    }

    @Test func actionsAreSpelledAsInConfiguration() {
        #expect(FailureAction.allCases.map(\.rawValue) == ["page", "notify", "ignore", "auto-replay"])
    }
}

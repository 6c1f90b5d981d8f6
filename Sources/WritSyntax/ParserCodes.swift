/// The syntax diagnostic codes (E02xx) the parser reports. Each code names one
/// situation; docs/diagnostics/syntax.md explains every one with a bad example
/// and the fix.

extension DiagnosticCode {
    /// Something other than a declaration at the top level of a file.
    public static let expectedDeclaration = DiagnosticCode("E0201", .error, "expected a declaration")
    /// A word at the top level that looks like a misspelt declaration keyword.
    public static let misspeltDeclarationKeyword = DiagnosticCode("E0202", .error, "misspelt declaration keyword")
    /// A name (of a declaration, field, case, rule …) is missing.
    public static let expectedName = DiagnosticCode("E0203", .error, "expected a name")
    /// A reserved word stands where a name is required.
    public static let keywordAsName = DiagnosticCode("E0204", .error, "keyword used as a name")
    /// A required keyword or punctuation mark is missing.
    public static let expectedToken = DiagnosticCode("E0205", .error, "missing token")
    /// A `{`, `(` or `[` is never closed.
    public static let unclosedDelimiter = DiagnosticCode("E0206", .error, "unclosed delimiter")
    /// An expression is missing.
    public static let expectedExpression = DiagnosticCode("E0207", .error, "expected an expression")
    /// `=` where the comparison `==` was meant.
    public static let assignmentInExpression = DiagnosticCode("E0208", .error, "`=` used as a comparison")
    /// A rule has no message string.
    public static let ruleWithoutMessage = DiagnosticCode("E0209", .error, "rule without a message")
    /// A rule has no `when` condition.
    public static let ruleWithoutCondition = DiagnosticCode("E0210", .error, "rule without a condition")
    /// `cite` is not followed by the citation string.
    public static let citeWithoutText = DiagnosticCode("E0211", .error, "citation without text")
    /// A rule's severity is missing or is not `reject`, `hold`, `alert` or `report`.
    public static let invalidSeverity = DiagnosticCode("E0212", .error, "missing or unknown rule severity")
    /// A type is missing or malformed.
    public static let expectedType = DiagnosticCode("E0213", .error, "expected a type")
    /// An item that does not belong in the block it is written in.
    public static let unexpectedBlockItem = DiagnosticCode("E0214", .error, "unexpected item in a block")
    /// Expressions or types nested beyond the parser's limit.
    public static let nestingTooDeep = DiagnosticCode("E0215", .error, "nested too deeply")
    /// An integer (`budget`, `repeat`) too large to represent.
    public static let integerOutOfRange = DiagnosticCode("E0216", .error, "integer out of range")
    /// An `import` after the first declaration.
    public static let importAfterDeclaration = DiagnosticCode("E0217", .error, "import after a declaration")
    /// A token directly after a complete expression that cannot continue it.
    public static let unexpectedAfterExpression = DiagnosticCode(
        "E0218", .error, "unexpected token after an expression")
    /// A `rank` direction other than `asc` or `desc`.
    public static let unknownRankDirection = DiagnosticCode("E0219", .error, "unknown sort direction")
    /// A rule in an `expect` list that is not qualified by its jurisdiction.
    public static let unqualifiedRuleName = DiagnosticCode("E0220", .error, "unqualified rule name in `expect`")

    /// A rule's `cite` or `code` given twice, or `cite` after `code`.
    public static let repeatedRuleClause = DiagnosticCode("E0221", .error, "rule clause repeated or out of order")

    /// Every code of the parser, in order. The lexer's are `lexerCodes`.
    public static var parserCodes: [DiagnosticCode] {
        [
            expectedDeclaration, misspeltDeclarationKeyword, expectedName, keywordAsName, expectedToken,
            unclosedDelimiter, expectedExpression, assignmentInExpression, ruleWithoutMessage,
            ruleWithoutCondition, citeWithoutText, invalidSeverity, expectedType, unexpectedBlockItem,
            nestingTooDeep, integerOutOfRange, importAfterDeclaration, unexpectedAfterExpression,
            unknownRankDirection, unqualifiedRuleName, repeatedRuleClause,
        ]
    }
}

/// The checker's diagnostic codes: E03xx names, E04xx types, units,
/// currencies and constants, E05xx declaration structure, E06xx cost, W01xx
/// warnings. Codes are stable; each is documented in docs/diagnostics/sema.md.

import WritSyntax

extension DiagnosticCode {
    // MARK: Names (E03xx)

    /// A name that is declared nowhere in scope.
    public static let unknownName = DiagnosticCode("E0301", .error, "unknown name")
    /// A field, column or property that the record does not have.
    public static let unknownField = DiagnosticCode("E0302", .error, "unknown field")
    /// A type name that is neither built in nor a declared enum.
    public static let unknownType = DiagnosticCode("E0303", .error, "unknown type")
    /// A function or method that does not exist.
    public static let unknownFunction = DiagnosticCode("E0304", .error, "unknown function")
    /// An input record used where it is not available (a DR trigger, another event's report).
    public static let inputNotAvailable = DiagnosticCode("E0305", .error, "input not available here")
    /// A built-in function used where it cannot run (a stateful control in a route).
    public static let functionNotAvailable = DiagnosticCode("E0306", .error, "function not available here")
    /// A constant or limit whose value depends on itself.
    public static let cyclicDefinition = DiagnosticCode("E0307", .error, "cyclic definition")
    /// `Enum.case` where the enum has no such case.
    public static let unknownEnumCase = DiagnosticCode("E0308", .error, "unknown enum case")
    /// `expect … [J.r]` naming a jurisdiction or rule that does not exist.
    public static let unknownRule = DiagnosticCode("E0309", .error, "unknown rule")
    /// A macro whose variable is not a plain name.
    public static let invalidMacroVariable = DiagnosticCode("E0310", .error, "macro variable is not a name")
    /// `given KIND` naming something that is not a schema.
    public static let unknownSchema = DiagnosticCode("E0311", .error, "unknown schema")
    /// A name that exists but is the wrong kind of declaration (a jurisdiction where a cluster is needed).
    public static let wrongKindOfName = DiagnosticCode("E0312", .error, "wrong kind of name")

    // MARK: Types, units, currencies, constants (E04xx)

    /// A value of one type where another is required.
    public static let typeMismatch = DiagnosticCode("E0401", .error, "mismatched types")
    /// An operator applied to operands it does not accept.
    public static let invalidOperands = DiagnosticCode("E0402", .error, "invalid operands")
    /// Money in two different fixed currencies combined.
    public static let currencyMismatch = DiagnosticCode("E0403", .error, "currency mismatch")
    /// A currency code that is not in ISO 4217.
    public static let unknownCurrency = DiagnosticCode("E0404", .error, "unknown currency")
    /// `==` or `!=` between values of unrelated types.
    public static let incomparableTypes = DiagnosticCode("E0405", .error, "values cannot be compared")
    /// `<`, `<=`, `>` or `>=` on values without an order.
    public static let notOrderable = DiagnosticCode("E0406", .error, "values have no order")
    /// A condition (`when`, `applies`, `filter`, `&&`, `?:`) that is not a bool.
    public static let notACondition = DiagnosticCode("E0407", .error, "condition is not a bool")
    /// `x in c` where `c` is not a collection of `x`'s type.
    public static let invalidMembership = DiagnosticCode("E0408", .error, "invalid membership test")
    /// An expression that must be known at compile time but is not.
    public static let notConstant = DiagnosticCode("E0409", .error, "not a constant")
    /// Constant arithmetic that overflows.
    public static let constantOverflow = DiagnosticCode("E0410", .error, "overflow in a constant")
    /// A constant division or remainder by zero.
    public static let divisionByZero = DiagnosticCode("E0411", .error, "division by zero")
    /// A call with too few or too many arguments.
    public static let argumentCount = DiagnosticCode("E0412", .error, "wrong number of arguments")
    /// A call argument of the wrong kind.
    public static let invalidArgument = DiagnosticCode("E0413", .error, "invalid argument")
    /// A `matches` pattern that is not a valid regular expression.
    public static let invalidRegex = DiagnosticCode("E0414", .error, "invalid regular expression")
    /// `timestamp("…")` or `duration("…")` with text that does not parse.
    public static let invalidTimeLiteral = DiagnosticCode("E0415", .error, "invalid timestamp or duration")
    /// A stateful window that is not a constant duration in (0, 1d].
    public static let invalidWindow = DiagnosticCode("E0416", .error, "invalid window")
    /// Times of day in different zones.
    public static let zoneMismatch = DiagnosticCode("E0417", .error, "time zone mismatch")
    /// A field selected on a value that has no fields.
    public static let noFields = DiagnosticCode("E0418", .error, "value has no fields")
    /// `x[i]` on a value that cannot be indexed, or with a key of the wrong type.
    public static let notIndexable = DiagnosticCode("E0419", .error, "value cannot be indexed")
    /// `money(x)` where `x` is neither a currency code nor a sibling currency field.
    public static let invalidMoneyCurrency = DiagnosticCode("E0420", .error, "invalid money currency")
    /// `T?` outside a schema or data column.
    public static let optionalNotAllowed = DiagnosticCode("E0421", .error, "optional type not allowed here")
    /// A cell of a data file that is not a value of its column's type.
    public static let invalidDataValue = DiagnosticCode("E0422", .error, "invalid value in a data file")
    /// A number literal too large, or with too many decimals, or a duration finer than a nanosecond.
    public static let numberOutOfRange = DiagnosticCode("E0423", .error, "number out of range")
    /// An empty list whose element type nothing tells.
    public static let cannotInferType = DiagnosticCode("E0424", .error, "cannot infer type")
    /// A tuple `(a, b)` where no composite key is expected.
    public static let misplacedTuple = DiagnosticCode("E0425", .error, "tuple not allowed here")

    // MARK: Declarations and structure (E05xx)

    /// Two top-level declarations with one name (or two tests with one title).
    public static let duplicateDeclaration = DiagnosticCode("E0501", .error, "duplicate declaration")
    /// Two members of one declaration with one name (fields, cases, limits, rules, properties, levels).
    public static let duplicateMember = DiagnosticCode("E0502", .error, "duplicate member")
    /// A property that the block does not have.
    public static let unknownProperty = DiagnosticCode("E0503", .error, "unknown property")
    /// A required property that is missing.
    public static let missingProperty = DiagnosticCode("E0504", .error, "missing property")
    /// A jurisdiction without `applies when`.
    public static let missingApplies = DiagnosticCode("E0505", .error, "jurisdiction without applies")
    /// A jurisdiction with more than one `applies when`.
    public static let multipleApplies = DiagnosticCode("E0506", .error, "more than one applies")
    /// A `budget` that is not positive.
    public static let invalidBudget = DiagnosticCode("E0507", .error, "invalid budget")
    /// A property that does not apply in this configuration (`quorum` without the quorum strategy).
    public static let propertyNotApplicable = DiagnosticCode("E0508", .error, "property does not apply")
    /// A link from a cluster to itself or with a latency that is not positive.
    public static let invalidLink = DiagnosticCode("E0509", .error, "invalid link")
    /// Two links between the same clusters.
    public static let duplicateLink = DiagnosticCode("E0510", .error, "duplicate link")
    /// `expect` with something other than `allow`, `hold` or `reject`.
    public static let invalidVerdict = DiagnosticCode("E0511", .error, "invalid verdict")
    /// `expect` before any `given` in a test.
    public static let expectWithoutGiven = DiagnosticCode("E0512", .error, "expect without given")
    /// `repeat N` with N < 1.
    public static let invalidRepeat = DiagnosticCode("E0513", .error, "invalid repeat count")
    /// A data file that cannot be read or is not a well-formed table.
    public static let dataFileError = DiagnosticCode("E0514", .error, "bad data file")
    /// More than one `dr` policy in the program.
    public static let multipleDRPolicies = DiagnosticCode("E0515", .error, "more than one dr policy")
    /// A property value outside its allowed range (a quorum larger than the replica set).
    public static let invalidPropertyValue = DiagnosticCode("E0516", .error, "invalid property value")
    /// A jurisdiction `let` named like a limit, a declaration, a built-in function or an enum case.
    public static let letShadowsName = DiagnosticCode("E0517", .error, "let hides another name")
    /// A `{name}` in a rule's message that is not a constant of the jurisdiction, or an unclosed brace.
    public static let invalidMessagePlaceholder = DiagnosticCode("E0518", .error, "invalid message placeholder")
    /// `code N` that is not a FIX OrdRejReason (tag 103), or on a rule that does not reject.
    public static let invalidRejectCode = DiagnosticCode("E0519", .error, "invalid reject code")
    /// A report field whose value does not fit what its target format needs.
    public static let reportFieldMismatch = DiagnosticCode("E0520", .error, "report field does not fit its target")
    /// A report field the target format does not know, or a required one missing.
    public static let reportFieldSet = DiagnosticCode("E0521", .error, "unknown or missing report field")
    /// A `let` whose expansion (its `let`s inlined) is too large or too deep.
    public static let letTooLarge = DiagnosticCode("E0522", .error, "let expands too far")
    /// A field the engine reads by name (an event's `ts`, an order's `id`…) declared with another type.
    public static let roleFieldType = DiagnosticCode("E0523", .error, "field the engine reads has the wrong type")
    /// A `test` block without `expect`: it checks nothing, so it cannot fail.
    public static let testWithoutExpect = DiagnosticCode("E0524", .error, "test without expect")

    // MARK: Cost (E06xx)

    /// A jurisdiction whose worst-case cost exceeds its `budget`.
    public static let budgetExceeded = DiagnosticCode("E0601", .error, "budget exceeded")
    /// A macro over a list whose size is not known at compile time.
    public static let unboundedCost = DiagnosticCode("E0602", .error, "cannot bound the cost")
    /// Macros that the engine would unroll into too many instructions.
    public static let unrolledTooFar = DiagnosticCode("E0603", .error, "macro unrolls too far")

    // MARK: Warnings (W01xx)

    /// A constant, set, data table, enum or limit that nothing uses.
    public static let unusedDeclaration = DiagnosticCode("W0101", .warning, "unused declaration")
    /// A reject or hold rule without `cite`.
    public static let missingCitation = DiagnosticCode("W0102", .warning, "rule without citation")
    /// A rule (or `applies`) whose condition is always false.
    public static let neverFires = DiagnosticCode("W0103", .warning, "condition is always false")
    /// A rule whose condition is always true.
    public static let alwaysFires = DiagnosticCode("W0104", .warning, "condition is always true")
    /// The same element twice in a set or map literal.
    public static let duplicateElement = DiagnosticCode("W0105", .warning, "duplicate element")
    /// `has(x.f)` on a field that is not optional.
    public static let hasAlwaysTrue = DiagnosticCode("W0106", .warning, "`has` is always true")

    /// Every code of the checker, in order (the platform proofs' last).
    public static var semaCodes: [DiagnosticCode] {
        [
            unknownName, unknownField, unknownType, unknownFunction, inputNotAvailable, functionNotAvailable,
            cyclicDefinition, unknownEnumCase, unknownRule, invalidMacroVariable, unknownSchema, wrongKindOfName,
            typeMismatch, invalidOperands, currencyMismatch, unknownCurrency, incomparableTypes, notOrderable,
            notACondition, invalidMembership, notConstant, constantOverflow, divisionByZero, argumentCount,
            invalidArgument, invalidRegex, invalidTimeLiteral, invalidWindow, zoneMismatch, noFields,
            notIndexable, invalidMoneyCurrency, optionalNotAllowed, invalidDataValue, numberOutOfRange,
            cannotInferType, misplacedTuple,
            duplicateDeclaration, duplicateMember, unknownProperty, missingProperty, missingApplies,
            multipleApplies, invalidBudget, propertyNotApplicable, invalidLink, duplicateLink, invalidVerdict,
            expectWithoutGiven, invalidRepeat, dataFileError, multipleDRPolicies, invalidPropertyValue,
            letShadowsName, invalidMessagePlaceholder, invalidRejectCode, reportFieldMismatch, reportFieldSet,
            letTooLarge, roleFieldType, testWithoutExpect,
            budgetExceeded, unboundedCost, unrolledTooFar,
            unusedDeclaration, missingCitation, neverFires, alwaysFires, duplicateElement, hasAlwaysTrue,
        ] + proofCodes
    }
}

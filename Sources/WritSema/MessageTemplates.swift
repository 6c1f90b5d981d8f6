/// `{name}` in a rule's message: replaced at compile time by the value of a
/// limit, a constant or a `let` that folds to a constant, written for a
/// trader (`10,000,000 USD`, `5%`, `500`), so that the message cannot drift
/// from the limit. `{{` and `}}` stand for `{` and `}`.

import WritSyntax
import WritValue

extension Analyzer {
    /// The message of rule `r` with its placeholders replaced (after
    /// reporting any that cannot be); `lets` are the jurisdiction's.
    func renderMessage(_ r: RuleDecl, jurisdiction j: String, lets: inout LetTable) -> String {
        let text = Array(r.message)
        guard text.contains("{") || text.contains("}") else { return r.message }
        var out = ""
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == "}" {
                out.append("}")
                i += i + 1 < text.count && text[i + 1] == "}" ? 2 : 1
                continue
            }
            guard c == "{" else {
                out.append(c)
                i += 1
                continue
            }
            if i + 1 < text.count, text[i + 1] == "{" {
                out.append("{")
                i += 2
                continue
            }
            guard let close = text[(i + 1)...].firstIndex(of: "}") else {
                report(Messages.unclosedPlaceholder(r, at: r.messageSpan))
                return r.message
            }
            let name = String(text[(i + 1)..<close])
            if let v = placeholderValue(name, r, jurisdiction: j, lets: &lets) {
                out += Analyzer.traderText(v)
            } else {
                out += "{\(name)}"
            }
            i = close + 1
        }
        return out
    }

    /// The constant value `name` stands for in a message, or nil after reporting.
    private func placeholderValue(_ name: String, _ r: RuleDecl, jurisdiction j: String, lets: inout LetTable) -> Value? {
        let span = r.messageSpan
        guard let first = name.first, first == "_" || first.isLetter,
            name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber })
        else {
            report(Messages.placeholderNotAName(name, r, at: span))
            return nil
        }
        if let p = limitDecls[j]?[name] {
            used.insert("\(j).\(name)")
            return limitValue(j, p, at: span)?.1
        }
        if lets.decls[name] != nil {
            lets.usedDirectly.insert(name)
            if let v = lets.constants[name] { return v }
            report(Messages.placeholderNotConstant(name, r, kind: "let", at: span))
            return nil
        }
        if case .constant(let c)? = names[name] {
            used.insert(name)
            return constantValue(c, at: span)?.1
        }
        let candidates = (limitDecls[j].map { Array($0.keys) } ?? []) + Array(lets.decls.keys)
        report(Messages.unknownPlaceholder(name, r, suggestion: suggestion(for: name, in: candidates), at: span))
        return nil
    }

    /// A constant as a trader reads it: digits grouped by thousands, money
    /// with its currency (cents when not whole), percent with `%`.
    static func traderText(_ v: Value) -> String {
        switch v {
        case .int(let i): return grouped(String(i))
        case .decimal(let d): return grouped(d.description)
        case .money(let a, let c):
            var t = a.description
            if let dot = t.firstIndex(of: "."), t.distance(from: dot, to: t.endIndex) == 2 { t += "0" }
            return grouped(t) + " " + c
        case .percent(let p): return "\(p)%"
        case .string(let s), .symbol(let s): return s
        case .enumCase(_, let c): return c
        case .duration(let ns): return durationWords(ns)
        default: return v.description
        }
    }

    /// A duration in words, in its largest whole unit: `5 minutes`, `1 second`.
    private static func durationWords(_ ns: Int64) -> String {
        let units: [(String, Int64)] = [
            ("day", 86_400_000_000_000), ("hour", 3_600_000_000_000), ("minute", 60_000_000_000),
            ("second", 1_000_000_000), ("millisecond", 1_000_000), ("microsecond", 1_000),
        ]
        for (unit, size) in units where ns != 0 && ns % size == 0 {
            let n = ns / size
            return "\(grouped(String(n))) \(unit)\(n == 1 ? "" : "s")"
        }
        return Value.durationText(ns)
    }

    /// `1234567.5` → `1,234,567.5`.
    private static func grouped(_ number: String) -> String {
        var intPart = Substring(number)
        var rest = Substring("")
        if let dot = number.firstIndex(of: ".") {
            intPart = number[..<dot]
            rest = number[dot...]
        }
        let negative = intPart.hasPrefix("-")
        let digits = Array(negative ? intPart.dropFirst() : intPart)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + out + rest
    }

    /// Checks `code N` of rule `r`: a value of FIX OrdRejReason, on a reject rule.
    func checkRejectCode(_ r: RuleDecl) -> Int? {
        guard let code = r.code, let span = r.codeSpan else { return nil }
        if r.severity != .reject {
            report(Messages.codeOnNonReject(r, at: span))
            return nil
        }
        guard FIXRejectReasons.names[code] != nil else {
            report(Messages.unknownRejectCode(code, at: span))
            return nil
        }
        return code
    }
}

extension Messages {
    static func letShadows(_ n: Name, what: String, declared: Span?) -> Diagnostic {
        Diagnostic(
            .letShadowsName, "`let \(n.text)` has the name of a \(what)", at: n.span,
            notes: declared.map { [DiagnosticNote(span: $0, message: "the \(what) is declared here")] } ?? [],
            help: "give the `let` another name")
    }

    static func unclosedPlaceholder(_ r: RuleDecl, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMessagePlaceholder, "the message of rule `\(r.name.text)` has a `{` that is not closed",
            at: span, help: "close the name with `}`, or write `{{` for a brace")
    }

    static func placeholderNotAName(_ text: String, _ r: RuleDecl, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMessagePlaceholder, "`{\(text)}` in the message of rule `\(r.name.text)` is not a name",
            at: span, help: "write the name of a limit, e.g. `{max_order_value}`, or `{{` for a brace")
    }

    static func placeholderNotConstant(_ name: String, _ r: RuleDecl, kind: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMessagePlaceholder,
            "`{\(name)}` in the message of rule `\(r.name.text)` is not known at compile time", at: span,
            help: "a message can show limits, constants and `let`s of constants; the \(kind) `\(name)` reads the order")
    }

    static func unknownPlaceholder(_ name: String, _ r: RuleDecl, suggestion: String?, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMessagePlaceholder,
            "`{\(name)}` in the message of rule `\(r.name.text)` is not a limit, `let` or constant", at: span,
            help: suggestion.map { "did you mean `{\($0)}`?" }
                ?? "a message can show the jurisdiction's limits, its `let`s and constants")
    }

    static func codeOnNonReject(_ r: RuleDecl, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidRejectCode, "`code` on \(r.severity.rawValue) rule `\(r.name.text)`: only a reject sends a reject reason",
            at: span, help: "remove `code`, or make the rule a `reject`")
    }

    static func unknownRejectCode(_ code: Int, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidRejectCode, "`code \(code)` is not a FIX OrdRejReason (tag 103)", at: span,
            help: "use one of 0–16, 18–29 or 99, e.g. `code 3` (order exceeds limit) or `code 99` (other)")
    }
}

/// CEL's macros over lists, sets and maps: `all`, `exists`, `exists_one`,
/// `filter`, `map`. Each binds a variable to the elements (a map's keys).

import WritSyntax
import WritValue

extension Analyzer {
    func checkMacro(_ e: Expr, _ target: Expr, _ fn: Name, _ args: [Expr], _ s: Scope) -> WType {
        program.resolutions[e.id] = .builtin(fn.text)
        let tt = check(target, s)
        guard args.count == 2 else {
            // The arguments may use the variable, which is not bound: leave them unchecked.
            report(Messages.argumentCount(fn.text, expected: 2, found: args.count, method: true, at: fn.span))
            return .error
        }
        guard case .identifier(let v) = args[0].kind else {
            if case .error = args[0].kind {
            } else {
                report(Messages.invalidMacroVariable(fn.text, at: args[0].span))
            }
            return .error
        }
        var elem: WType = .error
        switch tt {
        case .list(let t), .set(let t): elem = t
        case .map(let k, _): elem = k
        case .error: break
        default:
            report(
                Messages.invalidArgument(
                    "`\(fn.text)` iterates over a list, set or map, not over \(Messages.a(tt))", at: target.span))
        }
        var inner = s
        inner.locals.append((v, elem, e.id))
        program.resolutions[args[0].id] = .macroVariable(name: v, macro: e.id)
        program.types[args[0].id] = elem
        let isMap = fn.text == "map"
        let bt = check(args[1], inner, hint: isMap ? nil : .bool)
        if !isMap, !bt.containsError, bt != .bool {
            report(Messages.notACondition(what: "the predicate of `\(fn.text)`", found: bt, at: args[1].span))
            return .error
        }
        if tt.containsError || bt.containsError { return .error }
        switch fn.text {
        case "filter": return .list(elem)
        case "map": return .list(bt)
        default: return .bool
        }
    }
}

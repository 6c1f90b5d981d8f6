/// Warnings for constants, sets, data tables, enums and limits that nothing
/// refers to.

import WritSyntax

extension Analyzer {
    func warnUnused() {
        for d in allDecls {
            switch d {
            case .constant(let c) where isRegistered(c.name) && !used.contains(c.name.text):
                report(Messages.unused(c.name, kind: "constant"))
            case .set(let s) where isRegistered(s.name) && !used.contains(s.name.text):
                report(Messages.unused(s.name, kind: "set"))
            case .data(let x) where isRegistered(x.name) && !used.contains(x.name.text):
                report(Messages.unused(x.name, kind: "data table"))
            case .enumeration(let e) where isRegistered(e.name) && !used.contains(e.name.text):
                report(Messages.unused(e.name, kind: "enum"))
            case .jurisdiction(let j) where isRegistered(j.name):
                for p in j.limits
                where limitDecls[j.name.text]?[p.name.text] == p && !used.contains("\(j.name.text).\(p.name.text)") {
                    report(Messages.unused(p.name, kind: "limit"))
                }
            default:
                break
            }
        }
    }
}

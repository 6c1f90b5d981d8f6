/// How the differential test builds the engine it holds against the oracle:
/// the checked program is compiled to IR (WritIR) and loaded into an
/// `Engine` (WritEngine) with the oracle's table capacities.

import WritDriver
import WritEngine
import WritIR
import WritSema

enum EngineUnderTest {
    /// An engine for the checked program of `c`.
    ///
    /// The IR is loaded in memory (`EngineProgram(ir:)`) until WritIR can
    /// encode an IR program into a bundle; then the test goes through the
    /// bundle (build → encode → load with allow-unsigned).
    static func make(_ c: Compilation) throws -> Engine {
        guard let program = c.checked?.program else { throw Failure.noProgram }
        let ir = try IRCompiler.compile(program, files: c.files)
        return Engine(program: EngineProgram(ir: ir))
    }

    enum Failure: Error {
        case noProgram
    }
}

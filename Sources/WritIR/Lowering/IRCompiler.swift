/// The IR compiler's entry point: checked program → optimized `IRProgram`.

import WritSema
import WritSyntax

/// Options of the IR compiler.
public struct IRCompileOptions: Sendable {
    /// Run the optimizer passes (memo slots, constant folding, common
    /// sub-expressions, dead code). Operand ordering is part of lowering and always on.
    public var optimize = true
    /// Creates the default options.
    public init() {}
}

/// Compiles checked programs to IR.
public enum IRCompiler {
    /// Compiles `program`, whose spans index `files`.
    /// - Throws: `IRCompileError` for a construct the engine cannot evaluate.
    public static func compile(
        _ program: CheckedProgram, files: [SourceFile], options: IRCompileOptions = IRCompileOptions()
    ) throws(IRCompileError) -> IRProgram {
        let lowerer = Lowerer(program, files: files)
        var blocks = try lowerer.lower(memo: options.optimize)
        var pool = lowerer.pool
        if options.optimize {
            for i in blocks.indices { blocks[i] = Optimizer.run(blocks[i], pool: &pool) }
        }
        var ir = lowerer.ir
        try Assembler.assemble(blocks, pool: pool, into: &ir, files: files)
        ir.index = IndexBuilder(p: program, ir: ir).build()
        switch PlatformLowering.lower(program, files: files) {
        case .success(let p): ir.platform = p
        case .failure(let e): throw e
        }
        return ir
    }
}

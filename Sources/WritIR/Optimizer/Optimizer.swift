/// The optimizer: runs the passes over each block until nothing changes.
/// Each pass is its own file and keeps the block's meaning, errors included.

/// The pass pipeline.
enum Optimizer {
    /// The optimized block.
    static func run(_ block: LBlock, pool: inout ConstantPool) -> LBlock {
        var b = block
        for _ in 0..<4 {
            let before = b.items
            ConstantFolding.run(&b, pool: &pool)
            CommonSubexpressions.run(&b)
            DeadCodeElimination.run(&b)
            if b.items == before { break }
        }
        BranchFusion.run(&b)
        CurrencyFusion.run(&b)
        DeadCodeElimination.threadRuns(&b)
        DeadCodeElimination.run(&b)
        return b
    }
}

/// The version of the writ tool and of the formats it writes.
public enum WritVersion {
    /// The tool's version.
    public static let string = "0.1.0"
}

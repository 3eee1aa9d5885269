public enum AuthFlowVersion { public static let current = "0.1.0" }

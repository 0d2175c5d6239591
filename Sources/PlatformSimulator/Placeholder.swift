public enum PlatformSimulatorPlaceholder {}

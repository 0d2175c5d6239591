public enum CollectorTestingPlaceholder {}

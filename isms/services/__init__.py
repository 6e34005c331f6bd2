"""The post-incident review and corrective actions, one use case per function."""

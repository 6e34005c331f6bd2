"""Every state change of the training app, one use case per function."""

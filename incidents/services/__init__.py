"""Every state-changing use case of the incident record, one function each."""

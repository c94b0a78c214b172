"""The engine: runs jobs in worker processes, recovers them, and enforces retention."""

"""Fast export paths that read a source and format rows in C, with the general path as fallback."""

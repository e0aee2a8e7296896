"""Pure computation: stdlib, numpy and backstride.errors only. No I/O, no clock."""
